// Sign-out (step 7): a cross-site GET (an <img src=/gdisconnect>) signing the victim out against
// her will; and her own sign-out leaving her session, or her access token valid at Google.
import { signIn, type Kit } from '#checker';
import { answerLine, copyBrowser, signedInAs, type Attack } from './attack.ts';

/** Whether Google still takes the token: the fake's tokeninfo, as the attacker holding it would ask. */
async function validAtGoogle(kit: Kit, token: string): Promise<boolean> {
  const reply = await fetch(`${kit.google}/tokeninfo`, { method: 'POST', body: new URLSearchParams({ access_token: token }) });
  await reply.arrayBuffer();
  return reply.status === 200;
}

const attack: Attack = {
  name: 'sign-out',
  title: 'Forced sign-out, and a sign-out that leaves the token valid',
  goal: "the victim signed out by another site's GET; her own sign-out leaving her session or her access token alive",
  async run(kit) {
    const victim = kit.agent();
    const signedIn = await signIn(victim, '4/fixture-alice');
    const before = signedInAs(await victim.get('/'));
    if (!before) {
      return {
        exchanges: [{ sent: 'she signs in (4/fixture-alice)', answered: `${answerLine(signedIn)}; GET / shows nobody signed in` }],
        succeeded: false,
        why: 'nothing to sign out of: nobody is signed in here (sessions come in at step 5)',
      };
    }
    // Another site's <img>: a GET with her cookies, no header of the kit's script.
    const forced = await victim.get('/gdisconnect');
    const afterGet = signedInAs(await victim.get('/'));
    // Her own sign-out, as the home page's script sends it; the token is read from the server's
    // session store, as an attacker who copied it (a log, a backup) would hold it.
    const sid = victim.cookies.get('gconnect.sid') ?? '';
    const token = (await kit.sessions.get(sid))?.accessToken;
    const kept = new Map(victim.cookies);
    const out = await victim.request('/gdisconnect', { method: 'POST', headers: { 'x-requested-with': 'XMLHttpRequest' } });
    const stillIn = signedInAs(await copyBrowser(kit, kept).get('/'));
    const tokenAlive = typeof token === 'string' && (await validAtGoogle(kit, token));
    const found = [
      afterGet ? '' : 'a cross-site GET signed her out',
      stillIn ? 'her sign-out left her session signed in' : '',
      tokenAlive ? 'her access token still works at Google' : '',
    ].filter(Boolean);
    return {
      exchanges: [
        {
          sent: "GET /gdisconnect with her cookies (another site's <img>)",
          answered: `${answerLine(forced)}; then GET / shows ${afterGet ? 'her still signed in' : 'nobody signed in'}`,
        },
        { sent: 'POST /gdisconnect with X-Requested-With (her own sign-out)', answered: answerLine(out) },
        {
          sent: 'GET / with her old cookies; tokeninfo at Google with her access token',
          answered: `${stillIn ? 'still signed in' : 'signed out'}; token ${tokenAlive ? 'valid' : 'revoked'}`,
        },
      ],
      succeeded: found.length > 0,
      why: found.length > 0 ? found.join('; ') : 'only her own POST signs her out, and it ends the session and revokes the token',
    };
  },
};
export default attack;
