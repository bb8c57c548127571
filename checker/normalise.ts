// Check output must not depend on timing or random values: ports, state tokens, access
// tokens, ID tokens and session ids are replaced by fixed placeholders before printing.
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

export function normalise(text: string): string {
  return RULES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
