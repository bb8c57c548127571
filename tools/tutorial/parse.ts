// Reads a chapter of tutorial/ into what the generator needs: its generated parts (between
// `<!-- generated: ... -->` and `<!-- /generated -->`), and its ```sh blocks, each either
// run by the tests or marked `<!-- not-run: KIND ... -->`. The conventions are in
// tutorial/CONTRIBUTING.md.

/** A problem in a chapter, reported as "tutorial/NN-name.md:LINE: message". */
export class TutorialError extends Error {
  override name = 'TutorialError';
}

export type Part =
  | { kind: 'listing'; file: string; region: string | null }
  | { kind: 'diff'; from: string | null; to: string }
  | { kind: 'output' }
  | { kind: 'server-output' }
  // From the manifest: the README's table of steps, the tutorial's index, a step's fixture codes.
  | { kind: 'steps-table' }
  | { kind: 'chapters' }
  | { kind: 'fixtures'; step: number }
  // From the manifest and attacks/: the attacks a step's defence stops, and where each succeeds.
  | { kind: 'attacks'; step: number };

export interface GeneratedPart {
  part: Part;
  /** The marker's own text, e.g. "listing steps/01-state-check/check-state.ts#check-state". */
  spec: string;
  /** 1-based line of the opening marker. */
  line: number;
  /** Line indexes (0-based) of the opening and closing markers. */
  open: number;
  close: number;
  /** For an output part: the index of the ```sh block it shows the output of (for a
   * server-output part, what the first terminal's server printed while that block ran). */
  block?: number;
}

export interface ShBlock {
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  /** null: run by the tests; otherwise why not. */
  notRun: NotRun | null;
}

/** Why a shown command is not run by the tests. The test accepts only these kinds. */
export const NOT_RUN_KINDS = {
  live: 'needs a Google account, client_secret.json and the network',
  ci: 'run by .ci/run on a clean clone (installing, or npm test itself, cannot run inside npm test)',
} as const;

export type NotRunKind = keyof typeof NOT_RUN_KINDS;
export interface NotRun {
  kind: NotRunKind;
  why: string;
}

export interface Chapter {
  /** e.g. "tutorial/01-state-check.md", for messages. */
  name: string;
  lines: string[];
  parts: GeneratedPart[];
  blocks: ShBlock[];
}

const OPEN = /^<!-- generated: (.+?) -->$/;
const CLOSE = '<!-- /generated -->';
const NOT_RUN = /^<!-- not-run: ([a-z-]+)\b\s*(.*?)\s*-->$/;
const FENCE = /^(`{3,})\s*([\w-]*)/;
/** Fences that look like commands but would escape the test: write ```sh instead. */
const SHELL_LIKE = new Set(['bash', 'shell', 'console', 'zsh', 'shellsession']);

function parsePart(spec: string, where: string): Part {
  const [kind, ...args] = spec.split(/\s+/);
  if (kind === 'listing' && args.length === 1) {
    const [file = '', region = null] = args[0]!.split('#');
    return { kind: 'listing', file, region };
  }
  if (kind === 'diff' && args.length === 2) {
    return { kind: 'diff', from: args[0] === 'none' ? null : args[0]!, to: args[1]! };
  }
  if (kind === 'output' && args.length === 0) return { kind: 'output' };
  if (kind === 'server-output' && args.length === 0) return { kind: 'server-output' };
  if (kind === 'steps-table' && args.length === 0) return { kind: 'steps-table' };
  if (kind === 'chapters' && args.length === 0) return { kind: 'chapters' };
  if (kind === 'fixtures' && args.length === 1 && /^\d+$/.test(args[0]!)) return { kind: 'fixtures', step: Number(args[0]) };
  if (kind === 'attacks' && args.length === 1 && /^\d+$/.test(args[0]!)) return { kind: 'attacks', step: Number(args[0]) };
  throw new TutorialError(
    `${where}: unknown generated part "${spec}" (listing FILE[#REGION], diff FROM|none TO, output, server-output, steps-table, chapters, fixtures N, attacks N)`,
  );
}

/**
 * `commands: false` reads the generated parts only: every fence is plain text (the README's
 * commands are not run, so the rules that keep a run honest do not apply to them).
 */
export function parseChapter(name: string, text: string, { commands = true }: { commands?: boolean } = {}): Chapter {
  const lines = text.split('\n');
  const parts: GeneratedPart[] = [];
  const blocks: ShBlock[] = [];
  /** The last ```sh block that closed, if nothing but blank lines came after it. */
  let lastBlock: number | null = null;
  let pendingNotRun: { notRun: NotRun; line: number } | null = null;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const where = `${name}:${i + 1}`;
    const open = OPEN.exec(line);
    if (open) {
      const spec = open[1]!;
      const close = lines.indexOf(CLOSE, i + 1);
      const nextOpen = lines.findIndex((l, at) => at > i && OPEN.test(l));
      if (close < 0 || (nextOpen >= 0 && nextOpen < close)) throw new TutorialError(`${where}: "${spec}" has no ${CLOSE}`);
      const part = parsePart(spec, where);
      const found: GeneratedPart = { part, spec, line: i + 1, open: i, close };
      if (part.kind === 'output' || part.kind === 'server-output') {
        if (lastBlock === null) throw new TutorialError(`${where}: an output part must follow a \`\`\`sh block`);
        if (blocks[lastBlock]!.notRun) throw new TutorialError(`${where}: this output follows a not-run block`);
        found.block = lastBlock;
      }
      parts.push(found);
      lastBlock = null;
      i = close;
      continue;
    }
    if (line.trim() === '') continue;

    const notRun = NOT_RUN.exec(line);
    if (notRun) {
      const kind = notRun[1]!;
      if (!(kind in NOT_RUN_KINDS)) {
        throw new TutorialError(`${where}: unknown not-run kind "${kind}" (${Object.keys(NOT_RUN_KINDS).join(', ')})`);
      }
      pendingNotRun = { notRun: { kind: kind as NotRunKind, why: notRun[2]! }, line: i + 1 };
      lastBlock = null;
      continue;
    }

    const fence = FENCE.exec(line);
    if (fence) {
      const [, ticks = '', lang = ''] = fence;
      const end = lines.findIndex((l, at) => at > i && l.startsWith(ticks) && l.trim() === ticks);
      if (end < 0) throw new TutorialError(`${where}: unclosed code fence`);
      if (commands && SHELL_LIKE.has(lang))
        throw new TutorialError(`${where}: write \`\`\`sh, not \`\`\`${lang}: the tests run every sh block`);
      lastBlock = null;
      if (!commands) {
        i = end;
        continue;
      }
      if (lang === 'sh') {
        const code = lines.slice(i + 1, end).join('\n');
        if (/localhost:5000/.test(code))
          throw new TutorialError(`${where}: write localhost:\${PORT:-5000}, so that the command works on any port the learner picked`);
        blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n'), notRun: pendingNotRun?.notRun ?? null });
        lastBlock = blocks.length - 1;
      } else if (pendingNotRun) {
        throw new TutorialError(`${name}:${pendingNotRun.line}: a not-run marker must come right before a \`\`\`sh block`);
      }
      pendingNotRun = null;
      i = end;
      continue;
    }
    if (pendingNotRun) throw new TutorialError(`${name}:${pendingNotRun.line}: a not-run marker must come right before a \`\`\`sh block`);
    lastBlock = null;
  }
  if (pendingNotRun) throw new TutorialError(`${name}:${pendingNotRun.line}: a not-run marker must come right before a \`\`\`sh block`);
  return { name, lines, parts, blocks };
}
