// IDOR (step 9): Bob, signed in in his own browser, changes the number in the URL of his own
// note's pages to Alice's note's: its edit form, a change posted with his own valid CSRF token,
// its delete. The token proves the form is his; only the author check says the note is not.
import { escapeHtml, formToken, page, postForm, postNote, signedIn, type Kit, type Reply } from '#checker';
import { answerLine, refusal, refused, type Attack } from './attack.ts';

/** Before step 9 there are no notes: GET /notes is a 404. */
async function noNotes(kit: Kit): Promise<string | null> {
  const list = await page(kit.agent(), '/notes');
  return list.status === 404 ? answerLine(list) : null;
}

const attack: Attack = {
  name: 'idor',
  title: "Editing or deleting another user's note (IDOR)",
  goal: "Bob opening the edit form of Alice's note, changing it and deleting it, with his own valid CSRF token",
  mistake: {
    before: 'there are no notes before step 9',
    says: 'no author check: any signed-in user may open, change or delete any note (require-author.ts lets every note through)',
    file: 'require-author.ts',
    edits: [
      { from: "  if (ctx.state.note.userId !== ctx.state.userId) ctx.throw(403, 'Only its author can change this note.');\n", to: '' },
    ],
  },
  async run(kit) {
    const missing = await noNotes(kit);
    if (missing) {
      return {
        exchanges: [{ sent: 'GET /notes', answered: missing }],
        succeeded: false,
        why: 'nothing to attack: there are no notes here (they come in at step 9)',
      };
    }
    const alice = await signedIn(kit, '4/fixture-alice');
    const bob = await signedIn(kit, '4/fixture-bob');
    const tag = crypto.randomUUID().slice(0, 8);
    const text = `her note ${tag}`;
    const bobs = `changed by Bob ${tag}`;
    const id = await postNote(alice, text);
    // The page's words, as a reader sees them: the refusal's message, or the note in the form.
    const said = (reply: Reply) => {
      if (reply.type !== 'text/html') return '';
      if (reply.body.includes(escapeHtml(text))) return 'her note, in a form of his';
      return refusal(reply);
    };
    const edit = await page(bob, `/notes/${id}/edit`);
    const token = await formToken(bob);
    const change = await postForm(bob, `/notes/${id}`, { _csrf: token, text: bobs });
    const remove = await postForm(bob, `/notes/${id}/delete`, { _csrf: token });
    const list = (await kit.agent().get('/notes')).body;
    const after = list.includes(bobs) ? "changed to Bob's text" : list.includes(escapeHtml(text)) ? 'unchanged' : 'gone';
    const through = [
      refused(edit) ? '' : `the edit form of her note (${edit.status})`,
      refused(change) ? '' : `his change (${change.status})`,
      refused(remove) ? '' : `her note's delete (${remove.status})`,
    ].filter(Boolean);
    return {
      exchanges: [
        { sent: 'Alice posts a note with her form (4/fixture-alice)', answered: `its id is in the list's Edit link: /notes/N/edit` },
        { sent: "Bob, in his own browser (4/fixture-bob): GET /notes/N/edit, Alice's note", answered: answerLine(edit, said(edit)) },
        {
          sent: 'Bob: POST /notes/N with the _csrf of his own form, text "changed by Bob"',
          answered: answerLine(change, said(change)),
        },
        { sent: 'Bob: POST /notes/N/delete with his _csrf', answered: answerLine(remove, said(remove)) },
        { sent: 'GET /notes', answered: `Alice's note: ${after}` },
      ],
      succeeded: through.length > 0,
      why:
        through.length > 0
          ? `not refused: ${through.join(', ')}; her note ${after}`
          : `each is refused (${[edit, change, remove].map(({ status }) => status).join(', ')}): only its author may open, change or delete a note, whatever token the form carries`,
    };
  },
};
export default attack;
