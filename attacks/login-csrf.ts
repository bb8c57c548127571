// Login CSRF (step 1): the attacker makes the victim's browser post the attacker's own code,
// so that she ends up signed in as him, and whatever she does next lands in his account.
import { openLoginPage, postGconnect } from '#checker';
import { answerLine, refused, type Attack } from './attack.ts';

const attack: Attack = {
  name: 'login-csrf',
  title: 'Login CSRF',
  goal: "another site makes the victim's browser post the attacker's own code, to sign her in as him",
  async run(kit) {
    // She has visited the site (her browser holds its cookies); the attacker has his own state.
    const victim = kit.agent();
    await openLoginPage(victim);
    const { state: attackersState } = await openLoginPage(kit.agent());
    // The header is sent (as if the header check let it through): only the state is tried here.
    const noState = await postGconnect(victim, { state: null, code: '4/fixture-bob' });
    const hisState = await postGconnect(victim, { state: attackersState, code: '4/fixture-bob' });
    const through = [noState, hisState].filter((reply) => !refused(reply));
    return {
      exchanges: [
        { sent: "POST /gconnect, no state, from her browser; body: 4/fixture-bob (the attacker's code)", answered: answerLine(noState) },
        { sent: "POST /gconnect?state=<the attacker's own state>, from her browser; body: 4/fixture-bob", answered: answerLine(hisState) },
      ],
      succeeded: through.length > 0,
      why:
        through.length > 0
          ? `the server did not refuse the attacker's code without her own state (${through.map((reply) => reply.status).join(', ')})`
          : 'a code comes in only with the state this browser was given: both refused',
    };
  },
};
export default attack;
