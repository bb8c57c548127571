import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: "the layout's icon link left out: step 0 fails, saying the page names no icon (its browser would ask for /favicon.ico, a 404)",
  from: 0,
  edits: [{ file: 'views/layout.pug', from: '    link(rel="icon" href="/favicon.svg" type="image/svg+xml")\n', to: '' }],
  check: 0,
  blame: 0,
  shows: [
    /^ {2}the pages name their icon, and it loads: .*\n {4}sent: {5}GET \/login\n {14}cookies: none\n {4}expected: a <link rel="icon" href="\.\.\."> in the page's head \(the layout\)\n {4}got: {6}<head>/m,
  ],
  lessons: ['sent, expected, got'],
};
