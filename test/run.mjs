// npm test: every test file, two at a time, each test with a deadline in seconds.
//
// Node 24 applies --test-timeout to each test. Node 20 and 22 apply it to each test file as
// a whole (nodejs/node#57656): there, 60 s would be a budget for a file's sum of tests, which
// a busy machine overruns with every test well inside its own time. So on those the flag is
// only a ceiling for a file, and each test is bounded by the harness's own deadlines (20 s for
// an answer, 30 s without one for a check, two minutes for a command the tests start).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
const timeout = major >= 24 ? 60_000 : 10 * 60_000;
const root = fileURLToPath(new URL('..', import.meta.url));
// `npm test -- test/a.test.ts test/b.test.ts` runs only those files; other words go to node.
const given = process.argv.slice(2);
const named = given.filter((word) => word.endsWith('.test.ts'));
const files = named.length
  ? named
  : readdirSync(new URL('.', import.meta.url))
      .filter((name) => name.endsWith('.test.ts'))
      .sort()
      .map((name) => `test/${name}`);
const args = [
  '--import',
  './kit/typescript.mjs',
  '--test',
  '--test-concurrency=2',
  `--test-timeout=${timeout}`,
  ...given.filter((word) => !word.endsWith('.test.ts')),
  ...files,
];
const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches the runner too (same process group); its exit code is ours.
process.on('SIGINT', () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
