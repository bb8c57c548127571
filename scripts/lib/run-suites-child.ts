// Runs the kit's suites against a folder in one child process and collects what they said.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../shared/steps.ts';
import { parseLines, type CheckLine } from './check-protocol.ts';

/** How long the learner's server waits for Google during a check (the kit's default: 2.5 s). */
export const CHECK_GOOGLE_TIMEOUT_MS = 700;

export interface SuitesRun {
  lines: CheckLine[];
  /** The child's stderr: the learner's server logs, or a crash of the runner itself. */
  stderr: string;
  exitCode: number | null;
}

export function runSuites(dir: string, plan: string[]): Promise<SuitesRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GCONNECT_DIR: dir,
    GCONNECT_PLAN: plan.join(','),
    // Step 2's silent-Google test waits for the server to give up: 2.5 s by default, which
    // alone would break the check's target of 2 s a step.
    GCONNECT_GOOGLE_TIMEOUT_MS: process.env.GCONNECT_GOOGLE_TIMEOUT_MS ?? String(CHECK_GOOGLE_TIMEOUT_MS),
  };
  // Set when the check itself runs under node --test (the kit's tests): it would make the
  // child talk TAP to a parent runner instead of using the reporter.
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', `--test-reporter=${join(ROOT, 'scripts/lib/check-reporter.ts')}`, '--test-reporter-destination=stdout', join(ROOT, 'scripts/lib/run-suites.ts')],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (exitCode) => done({ lines: parseLines(stdout), stderr, exitCode }));
  });
}
