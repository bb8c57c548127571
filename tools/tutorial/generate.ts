// Fills a chapter's generated parts from the real code and from real runs; prose is left as
// written. Used by `npm run tutorial` (writes, or with --check compares, every part) and by
// test/tutorial.test.ts (compares listings and diffs; the runs are .ci/run's, through
// `npm run tutorial -- --check`, so that npm test does not run every command twice).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '#kit/manifest.ts';
import { renderAttacks, renderChapters, renderFixtures, renderStepsTable } from './manifest-parts.ts';
import { parseChapter, TutorialError, type GeneratedPart } from './parse.ts';
import { runBlocks, type BlockResult } from './run.ts';
import { fence, renderDiff, renderListing } from './sources.ts';

export const TUTORIAL_DIR = join(ROOT, 'tutorial');

/** The chapters, as paths relative to the kit: tutorial/README.md first, then by name. */
export function listChapters(): string[] {
  return readdirSync(TUTORIAL_DIR)
    .filter((file) => file.endsWith('.md') && file !== 'CONTRIBUTING.md')
    .sort((a, b) => (a === 'README.md' ? -1 : b === 'README.md' ? 1 : a.localeCompare(b)))
    .map((file) => `tutorial/${file}`);
}

/**
 * Documents outside tutorial/ with generated parts: only those that come from the manifest.
 * Their commands are never run (the README's are a learner's first ones: npm install, ...).
 */
export const MANIFEST_ONLY_DOCS = ['README.md'];

/**
 * The hints (hints/NN-name.md): their code is listings of the reference steps, which pass the
 * suites, so that a hint cannot teach what the check rejects. They run no commands.
 */
export function listHints(): string[] {
  return readdirSync(join(ROOT, 'hints'))
    .filter((file) => /^\d+-.*\.md$/.test(file))
    .sort()
    .map((file) => `hints/${file}`);
}

/** Everything the generator fills: the README, the hints, then the chapters. */
export function listDocuments(): string[] {
  return [...MANIFEST_ONLY_DOCS, ...listHints(), ...listChapters()];
}

export interface Generated {
  name: string;
  text: string;
  /** The generated parts whose committed content differs from the generated one. */
  stale: GeneratedPart[];
  /** How many ```sh blocks were run, and how many are marked not-run. */
  ran: number;
  notRun: number;
}

export interface GenerateOptions {
  /** Run the chapter's commands and fill their outputs (default); false: keep the outputs as they are. */
  run?: boolean;
}

/** What a chapter should be, given its current text. Runs its commands unless told not to. */
export async function generateChapter(name: string, text: string, options: GenerateOptions = {}): Promise<Generated> {
  // The README and the hints show commands a learner types, never run here.
  const noCommands = MANIFEST_ONLY_DOCS.includes(name) || name.startsWith('hints/');
  const chapter = parseChapter(name, text, { commands: !noCommands });
  const run = (options.run ?? true) && !noCommands;
  const needsTable = chapter.parts.some((part) => part.part.kind === 'steps-table');
  const stepsTable = needsTable ? await renderStepsTable() : '';
  // The attacks' modules are loaded (imported) to say what each is after: done before rendering.
  const attackSteps = chapter.parts.flatMap((part) => (part.part.kind === 'attacks' ? [part.part.step] : []));
  const attackLists = new Map<number, string | Error>();
  for (const step of new Set(attackSteps)) {
    attackLists.set(step, await renderAttacks(step).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
  }
  const runnable = chapter.blocks.filter((block) => !block.notRun);
  const results = run ? await runBlocks(name, runnable) : [];
  const resultOf = new Map<number, BlockResult>();
  chapter.blocks.forEach((block, index) => {
    const result = results[runnable.indexOf(block)];
    if (result) resultOf.set(index, result);
  });

  const shown = new Set(chapter.parts.flatMap((part) => (part.block === undefined ? [] : [part.block])));
  resultOf.forEach((result, index) => {
    // A command whose output the chapter does not show must at least succeed.
    if (!shown.has(index) && result.status !== null && result.status !== 0) {
      const block = chapter.blocks[index]!;
      throw new TutorialError(`${name}:${block.line}: this command exited with ${result.status}:\n${block.code}\n${result.output}`);
    }
  });

  const render = (part: GeneratedPart): string => {
    try {
      switch (part.part.kind) {
        case 'listing':
          return renderListing(part.part.file, part.part.region);
        case 'diff':
          return renderDiff(part.part.from, part.part.to);
        case 'output':
        case 'server-output': {
          const result = resultOf.get(part.block!);
          // Not run: the committed output stands (between the markers, as it is).
          if (!result) return chapter.lines.slice(part.open + 1, part.close).join('\n');
          return fence(part.part.kind === 'output' ? result.output : result.serverOutput, 'text');
        }
        case 'steps-table':
          return stepsTable;
        case 'chapters':
          return renderChapters(name);
        case 'fixtures':
          return renderFixtures(part.part.step);
        case 'attacks': {
          const list = attackLists.get(part.part.step)!;
          if (list instanceof Error) throw list;
          return list;
        }
      }
    } catch (err) {
      if (err instanceof TutorialError && !err.message.startsWith(name)) throw new TutorialError(`${name}:${part.line}: ${err.message}`);
      throw err;
    }
  };

  const lines = chapter.lines;
  const out: string[] = [];
  const stale: GeneratedPart[] = [];
  let at = 0;
  for (const part of chapter.parts) {
    out.push(...lines.slice(at, part.open + 1));
    const want = render(part);
    if (lines.slice(part.open + 1, part.close).join('\n') !== want) stale.push(part);
    out.push(want);
    at = part.close;
  }
  out.push(...lines.slice(at));
  return { name, text: out.join('\n'), stale, ran: runnable.length, notRun: chapter.blocks.length - runnable.length };
}

export async function generateFile(name: string, options: GenerateOptions = {}): Promise<Generated & { before: string }> {
  const before = readFileSync(join(ROOT, name), 'utf8');
  return { ...(await generateChapter(name, before, options)), before };
}
