import type { Mistake } from '../mistake.ts';

// "It starts with /, so it is a path of ours": //evil.example starts with / too, and a browser
// reads it as another site. The failure names the request, what the page should say and what
// it said, where a bare assertion gave only a label.
export const mistake: Mistake = {
  name: 'next followed when it starts with a slash: step 9 fails on //evil.example, an open redirect, naming the page and its data-next',
  from: 9,
  edits: [
    {
      file: 'next-path.ts',
      from: "  if (value.includes('\\\\') || /\\p{Cc}/u.test(value)) return undefined;\n  const url = new URL(value, HERE);\n  if (url.origin !== HERE || value.startsWith('//')) return undefined;\n  return url.pathname + url.search;",
      to: '  return value;',
    },
  ],
  check: 9,
  blame: 9,
  shows: [
    /^✘ Step 9, guard pages: 1 of \d+ checks fail\. The first:\n {2}\/login\?next=\/notes is followed; .*\n {4}sent: {5}GET \/login\?next=%2F%2Fevil\.example\n {14}cookies: .*\n {4}expected: data-next="\/" or none: \/\/evil\.example leads to another site, and the login page must not send a browser there \(an open redirect\)\n {4}got: {6}data-next="\/\/evil\.example"$/m,
  ],
  lessons: ['sent, expected, got'],
};
