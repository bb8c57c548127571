// OpenID Connect userinfo: the signed-in user's profile, asked with the access token.
// google-auth-library has no helper for it, so this is one GET with a deadline, on the same
// kept-alive connections as the library's calls (shared/google-http.ts, which notes it in the
// sign-in's trace).
import { callGoogle, type GoogleAnswer } from './google-http.ts';

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

/** What the endpoint answers, none of it trusted yet. */
type Fields = Partial<Record<keyof UserInfo | 'email_verified', unknown>>;

export async function fetchUserInfo(url: string, accessToken: string, timeoutMs: number): Promise<UserInfo> {
  let answer: GoogleAnswer;
  try {
    answer = await callGoogle(url, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      timeoutMs,
    });
  } catch {
    throw new UserInfoUnavailable('no answer from the userinfo endpoint');
  }
  if (answer.status < 200 || answer.status > 299) throw new UserInfoUnavailable(`userinfo answered ${answer.status}`);
  let data: Fields | null = null;
  try {
    data = JSON.parse(answer.text) as Fields | null;
  } catch {
    // not JSON: no sub, below
  }
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
