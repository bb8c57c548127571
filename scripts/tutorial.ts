// npm run tutorial: regenerates the generated parts of tutorial/*.md (listings, diffs and
// captured outputs) from the step folders and from real runs of the shown commands.
// npm run tutorial -- --check: writes nothing; says which parts are stale and exits 1.
// Either takes chapter names to do only those: npm run tutorial 01 live-mode
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../shared/steps.ts';
import { generateFile, listChapters } from './tutorial/generate.ts';
import { TutorialError } from './tutorial/parse.ts';

const args = process.argv.slice(2);
const check = args.includes('--check');
const wanted = args.filter((arg) => !arg.startsWith('--'));
const chapters = listChapters().filter((name) => wanted.length === 0 || wanted.some((want) => name.includes(want)));
if (chapters.length === 0) {
  console.error(`No chapter matches ${wanted.join(' ')}. Chapters: ${listChapters().join(', ')}`);
  process.exit(1);
}

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
  console.error(check ? `${problems} chapter(s) out of date or broken (${seconds} s): run npm run tutorial, then review the diff.` : `${problems} chapter(s) failed (${seconds} s).`);
  process.exit(1);
}
console.log(`${chapters.length} chapter(s) ${check ? 'up to date' : 'generated'} in ${seconds} s.`);
