// Runs a chapter's shell commands as a learner would, and captures what they print:
// `npm run step N` in one "terminal" (kept running), every other ```sh block in order in a
// second one, a single bash process, so that a variable or function defined in one block is
// there in the next.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { listSteps, ROOT } from '#kit/manifest.ts';
import { TutorialError, type ShBlock } from './parse.ts';

/** The port the chapters show; the runs use a free one and write this one back. */
export const SHOWN_PORT = 5000;
/** What the outputs show instead of the fake Google's port, which is picked at random. */
export const FAKE_GOOGLE_PORT_PLACEHOLDER = '<fake-google-port>';
/** Where the runs happen: inside the kit, so `npm run ...` finds its package.json. Git ignores it. */
export const RUNS_DIR = join(ROOT, '.tutorial-runs');

/** A block that starts a step's server: exactly `npm run step N`. */
const SERVER = /^npm run step \d+$/;
const READY = 'Stop with Ctrl-C.';

export interface BlockResult {
  output: string;
  status: number | null;
  /** What the first terminal's server printed while this block ran (its sign-ins' traces). */
  serverOutput: string;
}

/** The environment of a learner's fresh terminal: nothing of npm test's own run leaks in. */
function learnerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // npm_config_* (e.g. loglevel=silent under `npm test --silent`) would change what npm prints.
    if (
      /^npm_/i.test(key) ||
      [
        'SESSION_KEYS',
        'GOOGLE_CLIENT_SECRET_FILE',
        'GCONNECT_LEARNER_DIR',
        'PORT',
        'HOST',
        'NODE_TEST_CONTEXT',
        'NODE_OPTIONS',
        'DATA_DIR',
        'DATABASE_URL',
      ].includes(key)
    )
      continue;
    env[key] = value;
  }
  // npm checks for a newer npm once a week, in parallel with the command: its notice would
  // land in a chapter's output, or not, by how fast the check was.
  env.NPM_CONFIG_UPDATE_NOTIFIER = 'false';
  return env;
}

/**
 * The learner's folder for a chapter's run, shown as my-gconnect/. Before the README and
 * chapter 00 it does not exist yet (their commands make it with npm run begin); in chapter
 * NN it holds what a learner who wrote that chapter's step has: the step's files.
 */
function prepareLearnerFolder(chapter: string, dir: string): string {
  const folder = join(dir, 'my-gconnect');
  const step = listSteps().find((candidate) => candidate.chapter === chapter);
  if (step && step.number > 0) cpSync(step.dir, folder, { recursive: true });
  return folder;
}

/**
 * A trace's times differ from run to run: shown as n.n, in the columns they stood in, so a
 * busy machine's 12.3 ms or 10012.3 ms reads as a quiet one's 1.2 ms. (describeTrace prints a
 * stage's time padded to 6 characters; a call to Google's unpadded, after its name.)
 */
export function timesHidden(text: string): string {
  return text
    .replace(/ in \d+\.\d+ ms/g, ' in n.n ms')
    .replace(/(Google \w+) \d+\.\d ms/g, '$1 n.n ms')
    .replace(
      /( +)(\d+\.\d) ms/g,
      (_, spaces: string, time: string) =>
        `${' '.repeat(Math.max(1, spaces.length + time.length - Math.max(6, time.length)))}${'n.n'.padStart(6)} ms`,
    );
}

export function isServerBlock(block: ShBlock): boolean {
  return SERVER.test(block.code.trim());
}

interface Server {
  output: string;
  port: number;
  fakeOrigin: string | null;
  stop(): Promise<void>;
}

async function startServer(block: ShBlock, dir: string, env: NodeJS.ProcessEnv, where: string): Promise<Server> {
  const logFile = join(dir, 'server.log');
  // One file for stdout and stderr, in the order they were written, as a terminal shows them.
  const fd = openSync(logFile, 'w');
  const child = spawn('bash', ['-c', block.code], { cwd: dir, env: { ...env, PORT: '0' }, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  let exited = false;
  const exit = new Promise<void>((done) =>
    child.on('exit', () => {
      exited = true;
      done();
    }),
  );
  const stop = async () => {
    if (exited || child.pid === undefined) return;
    // The whole process group: npm, tsx and the server; SIGTERM is Ctrl-C's clean stop.
    process.kill(-child.pid, 'SIGTERM');
    const killed = await Promise.race([exit.then(() => true), sleep(5000).then(() => false)]);
    if (!killed) process.kill(-child.pid, 'SIGKILL');
  };
  const deadline = Date.now() + 30_000;
  let output = '';
  while (!output.includes(READY)) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new TutorialError(
        `${where}: \`${block.code}\` did not start (${exited ? 'it exited' : 'no "Stop with Ctrl-C." in 30 s'}):\n${output}`,
      );
    }
    await sleep(50);
    output = readFileSync(logFile, 'utf8');
  }
  const port = /Listening on http:\/\/localhost:(\d+)/.exec(output)?.[1];
  if (!port) {
    await stop();
    throw new TutorialError(`${where}: \`${block.code}\` printed no "Listening on http://localhost:PORT":\n${output}`);
  }
  return { output, port: Number(port), fakeOrigin: /fake Google at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? null, stop };
}

/**
 * Runs `blocks` (the chapter's runnable ones, in order) and returns what each printed, with
 * the two things that differ from run to run written as a learner's run shows them: the
 * app's port (free in the test, 5000 shown) and the fake Google's port (a placeholder).
 */
export async function runBlocks(chapter: string, blocks: ShBlock[]): Promise<BlockResult[]> {
  if (blocks.length === 0) return [];
  const where = (block: ShBlock) => `${chapter}:${block.line}`;
  blocks.forEach((block, index) => {
    if (index > 0 && isServerBlock(block))
      throw new TutorialError(`${where(block)}: a chapter runs one server, in its first runnable block`);
  });
  if (existsSync(join(ROOT, 'client_secret.json'))) {
    throw new TutorialError(
      `${chapter}: client_secret.json is in the kit's folder, so npm run step would run live; move it away to run the tutorial's commands offline`,
    );
  }

  mkdirSync(RUNS_DIR, { recursive: true });
  const dir = mkdtempSync(join(RUNS_DIR, `${chapter.replace(/\W+/g, '-')}-`));
  const learnerFolder = prepareLearnerFolder(chapter, dir);
  // A database of the run's own (step 8 on): every run of a chapter starts with nobody known.
  const env = { ...learnerEnv(), GCONNECT_LEARNER_DIR: learnerFolder, DATA_DIR: join(dir, 'data') };
  let server: Server | null = null;
  try {
    const results: BlockResult[] = [];
    let rest = blocks;
    if (isServerBlock(blocks[0]!)) {
      server = await startServer(blocks[0]!, dir, env, where(blocks[0]!));
      results.push({ output: server.output, status: null, serverOutput: '' });
      rest = blocks.slice(1);
    }
    const port = server?.port ?? SHOWN_PORT;
    // The commands say localhost:${PORT:-5000}, as a learner types them: PORT is the server's.
    // After each block, how far the server's log had come (it writes a sign-in's trace before
    // it answers, so the block's traces are in by then).
    const logged = (name: string) => `wc -c < server.log > ${name} 2>/dev/null || echo 0 > ${name}\n`;
    const script =
      logged('log.start') +
      rest
        .map((block, index) => `{\n${block.code}\n} > out.${index} 2>&1 < /dev/null\necho $? > status.${index}\n${logged(`log.${index}`)}`)
        .join('');
    writeFileSync(join(dir, 'script.sh'), script);
    const run = spawnSync('bash', ['script.sh'], { cwd: dir, env: { ...env, PORT: String(port) }, encoding: 'utf8', timeout: 120_000 });
    if (run.error) throw new TutorialError(`${chapter}: the commands did not run: ${run.error.message}`);
    const serverLog = server ? readFileSync(join(dir, 'server.log')) : Buffer.alloc(0);
    const offset = (name: string) => (existsSync(join(dir, name)) ? Number(readFileSync(join(dir, name), 'utf8').trim()) || 0 : 0);
    rest.forEach((block, index) => {
      const out = join(dir, `out.${index}`);
      const status = join(dir, `status.${index}`);
      if (!existsSync(status)) throw new TutorialError(`${where(block)}: the shell stopped before this block finished:\n${run.stderr}`);
      const serverOutput = serverLog
        .subarray(offset(index === 0 ? 'log.start' : `log.${index - 1}`), offset(`log.${index}`))
        .toString('utf8');
      results.push({
        output: readFileSync(out, 'utf8'),
        status: Number(readFileSync(status, 'utf8')),
        serverOutput: timesHidden(serverOutput),
      });
    });

    const normalise = (text: string) => {
      let shown = text
        .replaceAll(`localhost:${port}`, `localhost:${SHOWN_PORT}`)
        .replaceAll(`${relative(ROOT, learnerFolder)}/`, 'my-gconnect/');
      if (server?.fakeOrigin) shown = shown.replaceAll(server.fakeOrigin, `http://127.0.0.1:${FAKE_GOOGLE_PORT_PLACEHOLDER}`);
      return shown;
    };
    return results.map((result) => ({ ...result, output: normalise(result.output), serverOutput: normalise(result.serverOutput) }));
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
