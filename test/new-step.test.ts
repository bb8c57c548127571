// npm run new-step, in a copy of the kit (the working tree, as git sees it, committed in a
// repository of its own): the step it makes is picked up by everything that reads the
// manifest (the launcher, the check, the suites, the tutorial's generator), and it touches
// no file but those it says it made or updated.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listSteps, ROOT, stepFiles } from '#kit/manifest.ts';

const steps = listSteps();
const last = steps.at(-1)!;
const number = last.number + 1;
const folder = `${String(number).padStart(2, '0')}-demo`;
const clone = mkdtempSync(join(tmpdir(), 'gconnect-new-step-'));
after(() => rmSync(clone, { recursive: true, force: true }));

/** The environment of a maintainer's terminal: nothing of npm test's own run (npm_config_*, PORT). */
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^npm_/i.test(key) && !['PORT', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS', 'GCONNECT_LEARNER_DIR'].includes(key),
  ),
);
const gitEnv = {
  ...env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'kit',
  GIT_AUTHOR_EMAIL: 'kit@example.invalid',
  GIT_COMMITTER_NAME: 'kit',
  GIT_COMMITTER_EMAIL: 'kit@example.invalid',
};

function git(cwd: string, ...args: string[]): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', env: gitEnv });
  assert.equal(run.status, 0, `git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/** A kit command or tool run in the copy, with the copy's own loader, as npm runs it. */
function kit(file: string, args: string[] = []): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', './kit/typescript.mjs', file, ...args], {
    cwd: clone,
    encoding: 'utf8',
    env,
    timeout: 110_000,
  });
}

describe('npm run new-step, in a copy of the kit', () => {
  let made: SpawnSyncReturns<string>;

  before(
    () => {
      // Every file git would commit from the working tree (tracked, or new and not ignored).
      const files = git(ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard')
        .split('\0')
        .filter((file) => file && existsSync(join(ROOT, file)));
      for (const file of files) {
        mkdirSync(dirname(join(clone, file)), { recursive: true });
        copyFileSync(join(ROOT, file), join(clone, file));
      }
      symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
      git(clone, 'init', '-q');
      // A symlink is not the folder .gitignore's node_modules/ names.
      appendFileSync(join(clone, '.git', 'info', 'exclude'), '/node_modules\n');
      git(clone, 'add', '-A');
      git(clone, 'commit', '-q', '-m', 'the kit');
      made = kit('tools/new-step.ts', ['demo']);
    },
    { timeout: 120_000 },
  );

  it('refuses a bad name with the usage (exit 2), and --help prints it (exit 0), writing nothing', { timeout: 120_000 }, () => {
    for (const bad of [['Demo'], ['demo_x'], ['-x'], ['a', 'b'], []]) {
      const run = kit('tools/new-step.ts', bad);
      assert.equal(run.status, 2, `${bad.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /^Usage: npm run new-step -- NAME/m);
    }
    const help = kit('tools/new-step.ts', ['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: npm run new-step -- NAME/);
  });

  it(`makes step ${number} from step ${last.number}, and touches nothing but what it says it made or updated`, { timeout: 60_000 }, () => {
    assert.equal(made.status, 0, made.stderr);
    const said = [...made.stdout.matchAll(/^ {2}(new|updated) +(\S+)$/gm)]
      .map(([, kind, path]) => `${kind === 'new' ? '??' : ' M'} ${path}`)
      .sort();
    const status = git(clone, 'status', '--porcelain').split('\n').filter(Boolean).sort();
    assert.deepEqual(status, said);
    assert.deepEqual(
      said,
      [
        ` M README.md`,
        ` M manifest.json`,
        ` M tutorial/README.md`,
        `?? checker/suites/${folder}.ts`,
        `?? hints/${folder}.md`,
        `?? steps/${folder}/`,
        `?? tutorial/${folder}.md`,
      ].sort(),
    );
    assert.match(made.stdout, /^Next:\n/m);
    const dir = join(clone, 'steps', folder);
    const copied = stepFiles(dir);
    assert.deepEqual(copied, stepFiles(last.dir));
    for (const file of copied)
      assert.ok(readFileSync(join(dir, file)).equals(readFileSync(join(last.dir, file))), `${file} is step ${last.number}'s`);
  });

  it("the manifest, the suites, the hints and the tutorial's generator take the new step in; sync-steps and tsc find nothing wrong", {
    timeout: 120_000,
  }, () => {
    const probe = join(clone, '.check-probe', 'probe.ts');
    mkdirSync(dirname(probe));
    writeFileSync(
      probe,
      `import { listSteps } from '../kit/manifest.ts';
import { hintsOf } from '../kit/hints.ts';
import { loadSuites } from '../checker/suite.ts';
import { generateFile } from '../tools/tutorial/generate.ts';
const steps = listSteps();
const step = steps.at(-1)!;
const docs = await Promise.all(['README.md', 'tutorial/README.md', step.chapter].map((doc) => generateFile(doc, { run: false })));
console.log(JSON.stringify({
  steps: steps.map((s) => s.name),
  suites: (await loadSuites()).map((suite) => suite.step),
  hints: hintsOf(step).map((hint) => hint.title),
  stale: docs.flatMap((doc) => doc.stale.map((part) => doc.name + ': ' + part.spec)),
  readme: docs[0]!.text.split('\\n').find((line) => line.startsWith('| ' + step.number + ' |')),
  index: docs[1]!.text.includes('(' + step.name + '.md)'),
}));
`,
    );
    const run = kit(probe);
    assert.equal(run.status, 0, run.stderr);
    const seen = JSON.parse(run.stdout) as {
      steps: string[];
      suites: number[];
      hints: string[];
      stale: string[];
      readme?: string;
      index: boolean;
    };
    assert.deepEqual(seen.steps, [...steps.map((step) => step.name), folder]);
    assert.deepEqual(seen.suites, [...steps.map((step) => step.number), number]);
    assert.deepEqual(seen.hints, ['Nudge', 'API', 'Shape']);
    assert.deepEqual(seen.stale, [], 'the new chapter, the README and the index are as the generator makes them');
    assert.equal(seen.readme, `| ${number} | \`steps/${folder}\` | TODO: a few words on what step ${number} adds | 200 "Demo done." |`);
    assert.ok(seen.index, 'the index of chapters links the new chapter');

    const sync = kit('tools/sync-steps.ts', ['--check']);
    assert.equal(sync.status, 0, sync.stdout + sync.stderr);
    const tsc = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['--noEmit'], { cwd: clone, encoding: 'utf8', env, timeout: 110_000 });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });

  it(`npm run step ${number} starts the new step's server`, { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ['--import', './kit/typescript.mjs', 'commands/step.ts', String(number)], {
      cwd: clone,
      env: { ...env, PORT: '0' },
    });
    let output = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<void>((done) => child.on('close', () => done()));
    try {
      // Waits for what the server prints, however long a busy machine takes; the test's timeout is the guard.
      await new Promise<void>((ready, failed) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          if (output.includes('Stop with Ctrl-C.')) ready();
        });
        child.on('close', (status) => failed(new Error(`it exited (${status}) before it was ready:\n${output}`)));
      });
      assert.match(output, new RegExp(`^Step ${folder}: Demo\\. TODO: `, 'm'));
      assert.match(output, /^Listening on http:\/\/localhost:\d+$/m);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it(`npm run check ${number} on the new reference folder reports step ${number} and its failing first check`, { timeout: 120_000 }, () => {
    const run = kit('commands/check.ts', [String(number), '--dir', join(clone, 'steps', folder)]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`^✔ Step ${last.number}, `, 'm'));
    assert.match(
      run.stdout,
      new RegExp(
        `^✘ Step ${number}, demo: 2 of 2 checks fail\\. The first:\\n {2}TODO, what step ${number} adds; until then: 4/fixture-alice: 200 "Demo done\\."$`,
        'm',
      ),
    );
    assert.match(run.stdout, new RegExp(`Chapter: tutorial/${folder}\\.md`));
  });
});
