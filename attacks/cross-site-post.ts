// Cross-site POST (step 1): a form on another site posts a code to POST /gconnect. A form can
// send cookies, a text/plain body, even a leaked state, but never an X-Requested-With header.
import { openLoginPage, postGconnect } from '#checker';
import { answerLine, refused, type Attack } from './attack.ts';

const attack: Attack = {
  name: 'cross-site-post',
  title: 'Cross-site POST',
  goal: "a form on another site posts the attacker's code to POST /gconnect with the victim's cookies",
  async run(kit) {
    const victim = kit.agent();
    const { state } = await openLoginPage(victim);
    // Even with her state (leaked, say, in a referrer): the form cannot send the header.
    const reply = await postGconnect(victim, { state, code: '4/fixture-bob', xhr: false, contentType: 'text/plain' });
    return {
      exchanges: [
        {
          sent: 'POST /gconnect?state=<her state> from a form: her cookies, text/plain body 4/fixture-bob, no X-Requested-With',
          answered: answerLine(reply),
        },
      ],
      succeeded: !refused(reply),
      why: refused(reply)
        ? 'a request without X-Requested-With is refused before anything else'
        : "the server did not refuse a form's post: it took it for its own script's",
    };
  },
};
export default attack;
