// `npm run step N` as a learner meets it: the real script, a real port, Ctrl-C.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../shared/steps.ts';

const TSX = ['--import', 'tsx', 'scripts/step.ts'];

function runStep(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [...TSX, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
}

describe('npm run step', () => {
  it('an unknown step lists the steps and exits 1', () => {
    const run = runStep(['9']);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^There is no step 9\.\nSteps:\n {2}npm run step 0 {3}00-starter: Starter\n/);
    assert.match(run.stderr, /npm run step 6 {3}06-welcome-output: Welcome output/);
  });

  it('live mode without client_secret.json: one clear line, exit 1, no stack trace', () => {
    const run = runStep(['1', '--live'], { GOOGLE_CLIENT_SECRET_FILE: join(tmpdir(), 'no-such-client-secret.json') });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^(warning: .*\n)?error: Live mode needs .*no-such-client-secret\.json: download it from Google Cloud Console/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it('live mode with a malformed client_secret.json: one clear line, exit 1', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gconnect-')), 'client_secret.json');
    writeFileSync(file, '{"installed": {"client_id": "x"}}');
    const run = runStep(['1'], { GOOGLE_CLIENT_SECRET_FILE: file });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /error: .*client_secret\.json has no web\.client_id and web\.client_secret/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it('serves a step offline, prints the URL, mode and fixture codes, and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [...TSX, '1', '--offline'], { cwd: ROOT, env: { ...process.env, PORT: '0', SESSION_KEYS: 'test-key' } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URL printed: ${out}`)), 15_000);
      child.stdout.on('data', () => {
        const found = /Stop with Ctrl-C\./.test(out) && /Listening on (http:\/\/localhost:\d+)/.exec(out);
        if (found) {
          clearTimeout(timer);
          done(found[1]!);
        }
      });
    });
    assert.match(out, /^Step 01-state-check: State check\./m);
    assert.match(out, /^Mode: offline \(fake Google at http:\/\/127\.0\.0\.1:\d+/m);
    assert.match(out, /^ {2}4\/fixture-alice +Signs in as Alice/m);
    const login = await fetch(`${url}/login`);
    assert.equal(login.status, 200);
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  });
});
