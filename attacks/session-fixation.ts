// Session fixation (step 5): the attacker signs in, plants his session cookie in the victim's
// browser, and waits for her to sign in: if the server keeps the id, his cookie is her session.
import { signIn } from '#checker';
import { answerLine, copyBrowser, refused, signedInAs, type Attack } from './attack.ts';

const SESSION_COOKIE = 'gconnect.sid';

const attack: Attack = {
  name: 'session-fixation',
  title: 'Session fixation',
  goal: "a session id planted in the victim's browser before she signs in, still hers after it, and still the attacker's",
  mistake: {
    before: 'no session holds a user before step 5',
    says: 'signing in without a new session id (no freshSession / regenerate)',
    file: 'store-session.ts',
    edits: [{ from: '    await freshSession(session);\n', to: '' }],
  },
  async run(kit) {
    const attacker = kit.agent();
    const his = await signIn(attacker, '4/fixture-bob');
    const planted = attacker.cookies.get(SESSION_COOKIE);
    const sent = 'the attacker signs in (4/fixture-bob) and copies his session cookie into her browser';
    if (!planted) {
      return {
        exchanges: [{ sent, answered: `${answerLine(his)}; no session cookie to plant` }],
        succeeded: false,
        why: 'nothing to plant: no session holds a user here (sessions come in at step 5)',
      };
    }
    const victim = copyBrowser(kit, attacker.cookies);
    const hers = await signIn(victim, '4/fixture-alice');
    const kept = !refused(hers) && victim.cookies.get(SESSION_COOKIE) === planted;
    const home = await copyBrowser(kit, new Map([...attacker.cookies])).get('/');
    const seen = signedInAs(home);
    return {
      exchanges: [
        { sent, answered: answerLine(his) },
        {
          sent: 'she signs in, in her browser (4/fixture-alice)',
          answered: `${answerLine(hers)}; her session id: ${kept ? 'the planted one' : 'a new one'}`,
        },
        { sent: "GET / with the attacker's copy of the planted cookie", answered: answerLine(home, seen || 'nobody signed in') },
      ],
      succeeded: kept,
      why: kept
        ? 'the planted id survived her sign-in: the attacker holds her session'
        : 'signing in gave her session a new id: the planted one died there',
    };
  },
};
export default attack;
