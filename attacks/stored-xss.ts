// Stored XSS (step 6): Mallory's Google name is <script>alert(1)</script>. Whatever page shows
// her name must show it as text: the welcome answer and the home page.
import { signIn } from '#checker';
import { answerLine, type Attack } from './attack.ts';

const PAYLOAD = '<script>alert(1)</script>';

const attack: Attack = {
  name: 'stored-xss',
  title: 'Stored XSS through the profile name',
  goal: 'a profile name that is a script, run by the pages that show it',
  mistake: {
    before: 'the answers before step 6 are JSON, and pug has escaped the home page since the starter',
    says: 'the welcome page writing the name unescaped (!{name} in pug, or HTML built by hand as the seed did)',
    file: 'views/welcome.pug',
    edits: [{ from: 'Welcome, #{name}!', to: 'Welcome, !{name}!' }],
  },
  async run(kit) {
    const mallory = kit.agent();
    const welcome = await signIn(mallory, '4/fixture-mallory');
    const home = await mallory.get('/');
    // A script runs only in a page: the name in a JSON answer is data.
    const runs = (reply: typeof home) => reply.type === 'text/html' && reply.body.includes(PAYLOAD);
    const where = [runs(welcome) ? 'the welcome answer' : '', runs(home) ? 'the home page' : ''].filter(Boolean);
    const shown = (reply: typeof home) => (runs(reply) ? 'her <script> is in it, as markup' : 'no script of hers in it');
    return {
      exchanges: [
        {
          sent: 'Mallory signs in (4/fixture-mallory: her name is <script>alert(1)</script>)',
          answered: answerLine(welcome, welcome.type === 'text/html' ? shown(welcome) : ''),
        },
        { sent: 'GET / in her browser', answered: answerLine(home, shown(home)) },
      ],
      succeeded: where.length > 0,
      why: where.length > 0 ? `her script is markup in ${where.join(' and ')}` : 'her name is shown as text wherever it is shown',
    };
  },
};
export default attack;
