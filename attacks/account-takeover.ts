// Account takeover (step 8): someone signs in with their own Google account that gives Alice's
// email, unverified (4/fixture-alice-twin). A server that finds users by email, as the seed's
// getUserID(email) did, hands them Alice's account.
import { signIn } from '#checker';
import { answerLine, pageText, type Attack } from './attack.ts';

const attack: Attack = {
  name: 'account-takeover',
  title: 'Account takeover by an unverified email',
  goal: "another Google account giving Alice's email, unverified, taken for Alice",
  mistake: {
    before: 'there are no users to take over before step 8',
    says: "users found by their email, as the seed's getUserID(email), not by Google's sub",
    file: 'remember-user.ts',
    edits: [{ from: 'sub: ctx.state.idToken.sub', to: 'sub: profile.email' }],
  },
  async run(kit) {
    // A database of its own: the twin's first sign-in there comes after Alice's only.
    const fresh = await kit.freshDatabase();
    const alice = await signIn(fresh.agent(), '4/fixture-alice');
    const twin = await signIn(fresh.agent(), '4/fixture-alice-twin');
    const said = (reply: typeof twin) =>
      reply.type === 'text/html' ? pageText(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(reply.body)?.[1] ?? '') : '';
    const takenFor = said(twin);
    const succeeded = /Welcome back|Alice Liddell/.test(takenFor);
    return {
      exchanges: [
        { sent: 'Alice signs in (4/fixture-alice)', answered: answerLine(alice, said(alice)) },
        {
          sent: "the twin signs in, another browser (4/fixture-alice-twin: Alice's email, unverified, its own sub)",
          answered: answerLine(twin, takenFor),
        },
      ],
      succeeded,
      why: succeeded
        ? "the twin was taken for a user already known: Alice's account"
        : "the twin is a user of its own: users are found by Google's sub, never by email",
    };
  },
};
export default attack;
