// OpenID Connect userinfo: the signed-in user's profile, asked with the access token.
// google-auth-library has no helper for it, so this is plain fetch with a deadline (through
// the sign-in's trace, which notes the call).
import { tracedFetch } from './trace.ts';

export interface UserInfo {
  sub: string;
  name: string;
  picture: string;
  email: string;
  /** Whether Google checked that the user owns the address. */
  emailVerified: boolean;
}

export class UserInfoUnavailable extends Error {
  override name = 'UserInfoUnavailable';
}

export async function fetchUserInfo(url: string, accessToken: string, timeoutMs: number): Promise<UserInfo> {
  let response: Response;
  try {
    response = await tracedFetch(url, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw new UserInfoUnavailable('no answer from the userinfo endpoint');
  }
  if (!response.ok) throw new UserInfoUnavailable(`userinfo answered ${response.status}`);
  const data = (await response.json().catch(() => null)) as Partial<Record<keyof UserInfo | 'email_verified', unknown>> | null;
  if (typeof data?.sub !== 'string') throw new UserInfoUnavailable('userinfo answered without a sub');
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    sub: data.sub,
    name: text(data.name),
    picture: text(data.picture),
    email: text(data.email),
    emailVerified: data.email_verified === true,
  };
}
