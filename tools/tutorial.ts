// npm run tutorial (a maintainer's tool): regenerates the generated parts of tutorial/*.md
// (listings, diffs and captured outputs) from the step folders and from real runs of the
// shown commands, and those of tutorial/*.md and README.md that come from the manifest.
// --check: writes nothing; says which parts are stale and exits 1 (.ci/run runs it: npm test
// compares listings and diffs only). Chapter names pick some:
// npm run tutorial -- 01 live-mode
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { argsOrExit, exitWithUsage } from '#kit/cli.ts';
import { ROOT } from '#kit/manifest.ts';
import { generateFile, listDocuments } from './tutorial/generate.ts';
import { TutorialError } from './tutorial/parse.ts';

const USAGE = 'npm run tutorial [-- --check] [-- CHAPTER ...]';
const { values, words } = argsOrExit({ usage: USAGE, command: 'npm run tutorial', options: { check: { type: 'boolean' } } });
const check = values.check ?? false;
const chapters = listDocuments().filter((name) => words.length === 0 || words.some((want) => name.includes(want)));
if (chapters.length === 0) exitWithUsage(`No chapter matches ${words.join(' ')}. Chapters: ${listDocuments().join(', ')}`, USAGE);

const started = performance.now();
let problems = 0;
// Chapters run in parallel: each has its own server on a free port and its own folder.
const results = await Promise.allSettled(chapters.map((name) => generateFile(name)));
for (const [index, result] of results.entries()) {
  const name = chapters[index]!;
  if (result.status === 'rejected') {
    problems++;
    const err = result.reason as Error;
    console.error(err instanceof TutorialError ? `error: ${err.message}` : err);
    continue;
  }
  const { text, before, stale, ran, notRun } = result.value;
  const counts = `${ran} command block${ran === 1 ? '' : 's'} run, ${notRun} not-run`;
  if (check) {
    for (const part of stale) console.error(`stale: ${name}:${part.line}: ${part.spec}`);
    if (stale.length > 0 || text !== before) problems++;
    else console.log(`ok: ${name} (${counts})`);
  } else if (text !== before) {
    writeFileSync(join(ROOT, name), text);
    console.log(`updated: ${name}: ${stale.map((part) => part.spec).join('; ')} (${counts})`);
  } else {
    console.log(`unchanged: ${name} (${counts})`);
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (problems > 0) {
  console.error(
    check
      ? `${problems} chapter(s) out of date or broken (${seconds} s): run npm run tutorial, then review the diff.`
      : `${problems} chapter(s) failed (${seconds} s).`,
  );
  process.exit(1);
}
console.log(`${chapters.length} chapter(s) ${check ? 'up to date' : 'generated'} in ${seconds} s.`);
