// `npm run compare N -- --code`: a file's code without what a reader of the diff does not
// need: comments (a learner's own words, or the reference's), the tutorial's region markers
// and blank lines. Strings and template literals are kept as they are ('https://...' is no
// comment). Files other than TypeScript, JavaScript and pug are left whole.
import { extname } from 'node:path';

/** A line of JS/TS with its comment removed; `inBlock` carries an open comment over lines. */
function stripLine(line: string, state: { inBlock: boolean; quote: string | null }): string {
  let out = '';
  for (let at = 0; at < line.length; at++) {
    const char = line[at]!;
    const pair = line.slice(at, at + 2);
    if (state.inBlock) {
      if (pair === '*/') {
        state.inBlock = false;
        at++;
      }
      continue;
    }
    if (state.quote) {
      out += char;
      if (char === '\\') out += line[++at] ?? '';
      else if (char === state.quote) state.quote = null;
      continue;
    }
    if (pair === '//') break;
    if (pair === '/*') {
      state.inBlock = true;
      at++;
      continue;
    }
    if (char === "'" || char === '"' || char === '`') state.quote = char;
    out += char;
  }
  // A quote left open at the end of a line: only a template literal spans lines.
  if (state.quote && state.quote !== '`') state.quote = null;
  return out.trimEnd();
}

export function codeOnly(path: string, text: string): string {
  const lines = text.split('\n');
  const kind = extname(path);
  let kept: string[];
  if (['.ts', '.js', '.mjs', '.cjs', '.mts'].includes(kind)) {
    const state = { inBlock: false, quote: null as string | null };
    kept = lines.map((line) => stripLine(line, state));
  } else if (kind === '.pug') {
    // pug's comments: `//` and `//-` lines, and the lines indented under them.
    kept = [];
    let under: number | null = null;
    for (const line of lines) {
      const indent = line.length - line.trimStart().length;
      if (under !== null && (line.trim() === '' || indent > under)) continue;
      under = null;
      if (/^\s*\/\/-?/.test(line)) {
        under = indent;
        continue;
      }
      kept.push(line.trimEnd());
    }
  } else {
    return text;
  }
  return `${kept.filter((line) => line.trim() !== '').join('\n')}\n`;
}
