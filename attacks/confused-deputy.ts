// The confused deputy (step 4): an access token issued to another app, passed with this app's
// ID token, so that this server acts as that user here.
import { type Attack, signInsWith } from './attack.ts';

const CODES = [
  ['4/fixture-other-client', "tokeninfo's aud and azp are another app's"],
  ['4/fixture-other-azp', "tokeninfo's aud is ours, its azp another app's"],
] as const;

const attack: Attack = {
  name: 'confused-deputy',
  title: 'Confused deputy',
  goal: "an access token issued to another app, used with this app's ID token",
  run: (kit) =>
    signInsWith(kit, CODES, {
      through: 'the access token was not checked as issued to this app',
      refused: "the access token's aud and azp are checked against this app's client id: both refused",
    }),
};
export default attack;
