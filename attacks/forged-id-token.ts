// Forged ID tokens (step 3): an ID token signed with a key Google never had, and a real one
// issued to another app, hoping the server reads its claims without verifying them.
import { signIn } from '#checker';
import { answerLine, refused, type Attack } from './attack.ts';

const CODES = [
  ['4/fixture-forged-id-token', "an ID token signed with a key not in Google's certs"],
  ['4/fixture-id-token-other-audience', "a real ID token whose aud is another app's"],
] as const;

const attack: Attack = {
  name: 'forged-id-token',
  title: 'Forged ID token',
  goal: "an ID token forged, or issued to another app, taken as the user's identity",
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
          ? `the server did not refuse ${through.map(([code]) => code).join(' and ')}: the ID token was not verified`
          : "the ID token's signature and audience are verified: both refused",
    };
  },
};
export default attack;
