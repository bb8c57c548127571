// A code for another app (step 2): a code Google issued to another client (or for another
// redirect) posted to this server. Only Google can say whose code it is, and only when the
// server trades it with its own client id, client secret and redirect_uri 'postmessage'.
import { openLoginPage, postGconnect } from '#checker';
import { answerLine, refused, type Attack } from './attack.ts';

const attack: Attack = {
  name: 'foreign-code',
  title: 'A code issued to another app',
  goal: 'a code Google issued to another app, taken by this server as a sign-in',
  async run(kit) {
    const victim = kit.agent();
    const { state } = await openLoginPage(victim);
    // Google answers invalid_grant to a code that was not issued to the client trading it.
    const reply = await postGconnect(victim, { state, code: '4/issued-to-another-app' });
    return {
      exchanges: [{ sent: 'POST /gconnect?state=<her state>; body: 4/issued-to-another-app', answered: answerLine(reply) }],
      succeeded: !refused(reply),
      why: refused(reply)
        ? 'the server traded the code at Google with its own credentials, and Google refused it'
        : 'the server did not refuse the code: it did not trade it at Google with its own credentials',
    };
  },
};
export default attack;
