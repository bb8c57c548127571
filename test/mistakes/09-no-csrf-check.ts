import type { Mistake } from '../mistake.ts';

// The learner left checkCsrf out of the three form chains: a cross-site form posts as the user.
export const mistake: Mistake = {
  name: 'no CSRF check: step 9 fails on the form posted without its token, which posts the note',
  from: 9,
  edits: [
    { file: 'notes.ts', from: 'readForm, checkCsrf, createNote', to: 'readForm, createNote' },
    {
      file: 'notes.ts',
      from: 'readForm, checkCsrf, loadNote: note, requireAuthor, updateNote',
      to: 'readForm, loadNote: note, requireAuthor, updateNote',
    },
    {
      file: 'notes.ts',
      from: 'readForm, checkCsrf, loadNote: note, requireAuthor, deleteNote',
      to: 'readForm, loadNote: note, requireAuthor, deleteNote',
    },
  ],
  check: 9,
  blame: 9,
  shows: [
    /^✘ Step 9, guard pages: 1 of \d+ checks fail\. The first:\n {2}CSRF: POST \/notes without _csrf, or with another session's token: 403, and nothing is posted/m,
    /^ {4}sent: {5}POST \/notes\n {14}content-type: application\/x-www-form-urlencoded\n {14}cookies: gconnect\.sid, gconnect\.sid\.sig\n {14}body: text=forged\+\w+\n {4}expected: 403: a form without its _csrf token is refused, as a forged one \(cross-site request forgery\)\n {4}got: {6}303 text\/html to \/notes$/m,
  ],
};
