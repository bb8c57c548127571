// Forged ID tokens (step 3): an ID token signed with a key Google never had, and a real one
// issued to another app, hoping the server reads its claims without verifying them.
import { type Attack, signInsWith } from './attack.ts';

const CODES = [
  ['4/fixture-forged-id-token', "an ID token signed with a key not in Google's certs"],
  ['4/fixture-id-token-other-audience', "a real ID token whose aud is another app's"],
] as const;

const attack: Attack = {
  name: 'forged-id-token',
  title: 'Forged ID token',
  goal: "an ID token forged, or issued to another app, taken as the user's identity",
  run: (kit) =>
    signInsWith(kit, CODES, {
      through: 'the ID token was not verified',
      refused: "the ID token's signature and audience are verified: both refused",
    }),
};
export default attack;
