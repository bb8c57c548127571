// The generated parts that come straight from the step folders: listings (a file, or one
// region of it) and diffs between two steps.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { ROOT } from '#kit/manifest.ts';
import { TutorialError } from './parse.ts';

/** `// #region NAME` in TypeScript and JavaScript, `//- #region NAME` in pug (VS Code folds both). */
const MARKER = /^\s*\/\/-?\s*#(region|endregion)\s+([\w-]+)\s*$/;

const LANGUAGES: Record<string, string> = { '.ts': 'ts', '.js': 'js', '.pug': 'pug', '.json': 'json' };

/** Fences `text` with enough backticks that nothing inside can close the fence. */
export function fence(text: string, lang: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const body = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${ticks}${lang}\n${body}${ticks}`;
}

export interface Region {
  /** The region's lines, without any region marker lines. */
  text: string;
  /** 1-based lines of the first and last line shown. */
  from: number;
  to: number;
}

/** A file's region, or the whole file (region null), without the marker lines. */
export function readRegion(file: string, region: string | null): Region {
  const path = join(ROOT, file);
  if (!existsSync(path)) throw new TutorialError(`no such file: ${file}`);
  const lines = readFileSync(path, 'utf8').replace(/\n$/, '').split('\n');
  let start = 0;
  let end = lines.length;
  if (region !== null) {
    const at = (kind: string) =>
      lines.flatMap((line, index) => {
        const marker = MARKER.exec(line);
        return marker && marker[1] === kind && marker[2] === region ? [index] : [];
      });
    const opens = at('region');
    const closes = at('endregion');
    if (opens.length !== 1 || closes.length !== 1 || closes[0]! < opens[0]!) {
      throw new TutorialError(
        `region "${region}" not found in ${file} (want one "#region ${region}" and one "#endregion ${region}" after it)`,
      );
    }
    start = opens[0]! + 1;
    end = closes[0]!;
  }
  const shown = lines
    .map((line, index) => ({ line, number: index + 1 }))
    .slice(start, end)
    .filter(({ line }) => !MARKER.test(line));
  if (shown.length === 0) throw new TutorialError(`${file}${region ? `#${region}` : ''} is empty`);
  return { text: shown.map(({ line }) => line).join('\n'), from: shown[0]!.number, to: shown.at(-1)!.number };
}

/** A listing as a chapter shows it: a link to the real lines, then the code. */
export function renderListing(file: string, region: string | null): string {
  const { text, from, to } = readRegion(file, region);
  const what = region === null ? file : `${file}, lines ${from}-${to}`;
  const link = `../${file}${region === null ? '' : `#L${from}-L${to}`}`;
  return `[${what}](${link}):\n\n${fence(text, LANGUAGES[extname(file)] ?? '')}`;
}

/**
 * The unified diff between two step folders (`from` null: an empty folder), by
 * `git diff --no-index`, with every setting that could change its text pinned.
 */
export function renderDiff(from: string | null, to: string): string {
  for (const name of [from, to]) {
    if (name !== null && !existsSync(join(ROOT, 'steps', name))) throw new TutorialError(`no step folder steps/${name}`);
  }
  const empty = from === null ? mkdtempSync(join(tmpdir(), 'gconnect-empty-')) : null;
  try {
    const run = spawnSync(
      'git',
      [
        'diff',
        '--no-index',
        '--no-color',
        '--no-ext-diff',
        '--no-renames',
        '--diff-algorithm=myers',
        '--unified=3',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        '--',
        empty ?? `steps/${from}`,
        `steps/${to}`,
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        // The user's and the system's git settings (diff.noprefix, color.ui, ...) must not apply.
        env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' },
      },
    );
    if (run.error) throw new TutorialError(`git diff failed to start (is git installed?): ${run.error.message}`);
    // git diff --no-index exits 1 when the folders differ, 0 when they do not.
    if (run.status !== 0 && run.status !== 1) throw new TutorialError(`git diff failed: ${run.stderr}`);
    const files = run.stdout.split(/^(?=diff --git )/m).filter((chunk) => chunk.startsWith('diff --git '));
    const shown = files.map((chunk) => chunk.slice(chunk.search(/^--- /m)));
    return fence(shown.join(''), 'diff');
  } finally {
    if (empty) rmSync(empty, { recursive: true, force: true });
  }
}
