// What went wrong in a call to Google, without the request (which may carry a token).
import { gaxios } from 'google-auth-library';

export interface GoogleFailure {
  /** The HTTP status Google answered, or null when it did not answer at all. */
  status: number | null;
  /** The `error` field of Google's JSON answer (e.g. "invalid_grant"), when there is one. */
  error: string | null;
}

/** The HTTP failure behind `err`, or null when `err` did not come from a call to Google. */
export function googleFailure(err: unknown): GoogleFailure | null {
  if (!(err instanceof gaxios.GaxiosError)) return null;
  const data: unknown = err.response?.data;
  const error = (data as { error?: unknown } | null)?.error;
  return { status: err.response?.status ?? null, error: typeof error === 'string' ? error : null };
}

/** True when Google gave no usable answer: no response at all, a timeout or a 5xx. */
export function googleDidNotAnswer(failure: GoogleFailure | null): boolean {
  return failure !== null && (failure.status === null || failure.status >= 500);
}
