// Check output must not depend on timing or random values: ports, state tokens, access
// tokens, ID tokens and session ids are replaced by fixed placeholders before printing.
//
// Except the one value a failure is about: a state handed out twice is shown as it is
// ("the same state both times: "q3J…""), never as "<state>", which would hide that the two
// were equal. A check marks such a value with verbatim(); normalise() leaves it alone (the
// marks stay, so that normalising twice changes nothing) and unmark() takes the marks off
// once the text is final (the report does).
const RULES: [RegExp, string][] = [
  [/\b(127\.0\.0\.1|localhost):\d{2,5}\b/g, '$1:PORT'],
  [/\bya29\.[\w.-]+/g, 'ya29.<access token>'],
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '<ID token>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<session id>'],
  [/(\.sig=)[\w-]+/g, '$1<signature>'],
  [/\b(expires=)[^;|]+/gi, '$1<date>'],
  // States: 32 or more URL-safe characters, upper and lower case mixed (a run of one
  // letter, like a test's oversized body, is not a state; Google ids are digits only).
  [/(?<![\w/-])(?=[\w-]*[A-Z])(?=[\w-]*[a-z])[\w-]{32,}(?![\w/-])/g, '<state>'],
  [/\bduration_ms:? *[\d.]+/g, 'duration_ms: <n>'],
];

// Private-use characters: no server answer or learner's text is expected to hold them.
const OPEN = '\u{E000}';
const CLOSE = '\u{E001}';
const MARKED = new RegExp(`(${OPEN}[^${CLOSE}]*${CLOSE})`, 'u');

/** `text`, marked to be shown as it is: the value a failure is about. */
export function verbatim(text: string): string {
  return `${OPEN}${text.replaceAll(OPEN, '').replaceAll(CLOSE, '')}${CLOSE}`;
}

export function normalise(text: string): string {
  return text
    .split(MARKED)
    .map((part, index) => (index % 2 === 1 ? part : RULES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), part)))
    .join('');
}

/** The text without verbatim()'s marks, as it is shown. */
export function unmark(text: string): string {
  return text.replaceAll(OPEN, '').replaceAll(CLOSE, '');
}
