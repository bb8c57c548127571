// The confused deputy (step 4): an access token issued to another app, passed with this app's
// ID token, so that this server acts as that user here.
import { signIn } from '#checker';
import { answerLine, refused, type Attack } from './attack.ts';

const CODES = [
  ['4/fixture-other-client', "tokeninfo's aud and azp are another app's"],
  ['4/fixture-other-azp', "tokeninfo's aud is ours, its azp another app's"],
] as const;

const attack: Attack = {
  name: 'confused-deputy',
  title: 'Confused deputy',
  goal: "an access token issued to another app, used with this app's ID token",
  async run(kit) {
    const replies = await Promise.all(CODES.map(([code]) => signIn(kit.agent(), code)));
    const through = CODES.filter((_, index) => !refused(replies[index]!));
    return {
      exchanges: CODES.map(([code, what], index) => ({
        sent: `POST /gconnect?state=<her state>; body: ${code} (${what})`,
        answered: answerLine(replies[index]!),
      })),
      succeeded: through.length > 0,
      why:
        through.length > 0
          ? `the server did not refuse ${through.map(([code]) => code).join(' and ')}: the access token was not checked as issued to this app`
          : "the access token's aud and azp are checked against this app's client id: both refused",
    };
  },
};
export default attack;
