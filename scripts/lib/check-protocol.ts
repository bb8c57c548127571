// What the check's test child tells the check: one JSON object a line, after a marker, so
// that anything else the learner's server prints on stdout is told apart and left out.
import { inspect } from 'node:util';

export const MARKER = '@@gconnect-check ';
export const LOAD_ERROR = 'load-error';
export const RESULT = 'result';

export interface ErrorReport {
  name: string;
  message: string;
  code?: string;
  /** AssertionError: whether node wrote the message (then actual/expected say it all). */
  generatedMessage?: boolean;
  operator?: string;
  actual?: string;
  expected?: string;
  stack?: string;
}

export interface LoadError {
  kind: typeof LOAD_ERROR;
  error: ErrorReport;
}

export interface TestResult {
  kind: typeof RESULT;
  /** The plan's block, e.g. "1" or "1f". */
  block: string;
  test: string;
  ok: boolean;
  error?: ErrorReport;
}

export type CheckLine = LoadError | TestResult;

export function mark(line: CheckLine): string {
  return `${MARKER}${JSON.stringify(line)}\n`;
}

export function parseLines(stdout: string): CheckLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(MARKER))
    .map((line) => JSON.parse(line.slice(MARKER.length)) as CheckLine);
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : inspect(value, { depth: 4, breakLength: Infinity, sorted: true }));

export function describeError(thrown: unknown): ErrorReport {
  if (!(thrown instanceof Error)) return { name: 'Error', message: String(thrown) };
  const err = thrown as Error & { code?: unknown; generatedMessage?: boolean; operator?: string; actual?: unknown; expected?: unknown };
  const report: ErrorReport = { name: err.name, message: err.message, stack: err.stack ?? '' };
  if (typeof err.code === 'string') report.code = err.code;
  if (err.name === 'AssertionError') {
    report.generatedMessage = Boolean(err.generatedMessage);
    report.operator = String(err.operator);
    report.actual = show(err.actual);
    report.expected = show(err.expected);
  }
  return report;
}
