// Note CSRF (step 9): a form on another site posts to the notes with the victim's cookies. It
// cannot read her pages, so it has no _csrf of hers: none, or a token of the attacker's own
// session. Step 9 has two locks (csrf.ts): a browser that says the form comes from another site
// (Sec-Fetch-Site, Origin) is refused first; a request that says nothing (an old browser, or no
// browser at all) must still show her session's token. The attack tries both.
import { formToken, page, postForm, postNote, signedIn, type Reply } from '#checker';
import { answerLine, refusal, refused, type Attack } from './attack.ts';

/** What a current browser adds to a form posted from another site's page. */
const CROSS_SITE = {
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
  origin: 'https://attacker.example',
};

const attack: Attack = {
  name: 'note-csrf',
  title: 'A note form posted cross-site without its CSRF token',
  goal: "a form on another site posting and changing notes with the victim's cookies, without her _csrf",
  mistake: {
    before: 'there are no notes before step 9',
    says: "checkCsrf left out of the notes' chains in notes.ts: the forms carry a token that nothing checks",
    file: 'notes.ts',
    edits: [
      { from: 'readForm, checkCsrf, createNote', to: 'readForm, createNote' },
      { from: 'readForm, checkCsrf, loadNote: note, requireAuthor, updateNote', to: 'readForm, loadNote: note, requireAuthor, updateNote' },
      { from: 'readForm, checkCsrf, loadNote: note, requireAuthor, deleteNote', to: 'readForm, loadNote: note, requireAuthor, deleteNote' },
    ],
  },
  async run(kit) {
    const list = await page(kit.agent(), '/notes');
    if (list.status === 404) {
      return {
        exchanges: [{ sent: 'GET /notes', answered: answerLine(list) }],
        succeeded: false,
        why: 'nothing to attack: there are no notes here (they come in at step 9)',
      };
    }
    const alice = await signedIn(kit, '4/fixture-alice');
    const tag = crypto.randomUUID().slice(0, 8);
    const id = await postNote(alice, `her own note ${tag}`);
    // The attacker's own session: its token is valid, for that session only.
    const mallorysToken = await formToken(await signedIn(kit, '4/fixture-mallory'));
    // Each try writes a text of its own: on the list afterwards, it was posted (or changed) as hers.
    const tries: { what: string; sent: string; text: string; reply: Reply }[] = [];
    const attempt = async (what: string, sent: string, path: string, token: string | null, headers: Record<string, string> = {}) => {
      // Letters, digits and spaces only: the same text in the page, however it escapes.
      const text = `forged ${tries.length + 1} ${tag}`;
      const fields: Record<string, string> = token === null ? { text } : { _csrf: token, text };
      tries.push({ what, sent, text, reply: await postForm(alice, path, fields, headers) });
    };
    const noHeaders = 'her cookies, no Sec-Fetch-Site or Origin';
    await attempt(
      "the cross-site browser's post",
      "POST /notes from another site's form, as a current browser sends it: her cookies, Sec-Fetch-Site: cross-site, Origin: https://attacker.example, no _csrf",
      '/notes',
      null,
      CROSS_SITE,
    );
    await attempt('the post without a token', `POST /notes, ${noHeaders} (an old browser, or no browser), no _csrf`, '/notes', null);
    await attempt(
      "the post with another session's token",
      `POST /notes, ${noHeaders}, the _csrf of the attacker's own session`,
      '/notes',
      mallorysToken,
    );
    await attempt('the change without a token', `POST /notes/N (her own note), ${noHeaders}, no _csrf`, `/notes/${id}`, null);
    const after = (await kit.agent().get('/notes')).body;
    // Which lock refused the cross-site browser's form: its own refusal, or the token's, as the rest.
    const [browser, old] = tries;
    const byOrigin = refused(browser!.reply) && refusal(browser!.reply) !== refusal(old!.reply);
    const through = tries.filter(({ text }) => after.includes(text));
    return {
      exchanges: [
        {
          sent: 'Alice posts a note with her form (4/fixture-alice); Mallory opens a form in her own session',
          answered: "its id is in the list's Edit link: /notes/N/edit",
        },
        ...tries.map(({ sent, text, reply }) => ({
          sent,
          answered: `${answerLine(reply, refusal(reply))} (${after.includes(text) ? 'on the list' : 'not on the list'})`,
        })),
      ],
      succeeded: through.length > 0,
      why:
        through.length > 0
          ? `on the list, as Alice's: ${through.map(({ what }) => what).join(', ')}`
          : byOrigin
            ? "nothing posted or changed: Sec-Fetch-Site/Origin refused the form a browser says is another site's before its token was read; without those headers, the token check refused no token and another session's"
            : "nothing posted or changed: each form without her session's token was refused",
    };
  },
};
export default attack;
