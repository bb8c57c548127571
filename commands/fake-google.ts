// npm run fake-google [-- --port N]: the fake Google in a process of its own, for several
// servers at once (npm run cluster starts one too). Each server started with
// FAKE_GOOGLE_ORIGIN set to the origin this prints uses it instead of starting a fake of its
// own, so that they all share its issued tokens and revocations: a token issued for a sign-in
// on one instance is revoked by a sign-out on another.
import { argsOrExit, exitWithUsage, portOrExit } from '#kit/cli.ts';
import { whenParentEnds } from '#kit/parent.ts';
import { startFakeGoogle } from '#fake-google/index.ts';

const USAGE = 'npm run fake-google [-- --port N]   (default: FAKE_GOOGLE_PORT, else any free port)';
const { values, words } = argsOrExit({
  usage: USAGE,
  command: 'npm run fake-google',
  options: { port: { type: 'string' } },
  ownWord: () => false,
});
if (words.length > 0) exitWithUsage(`Unexpected argument ${words[0]}.`, USAGE);
const port = portOrExit(values.port, 'FAKE_GOOGLE_PORT', 0, USAGE);

const fake = await startFakeGoogle({
  port,
  onComplaint: (message) => console.warn(`fake Google refused a request: ${message}`),
}).catch((err: NodeJS.ErrnoException) => {
  if (err.code === 'EADDRINUSE') {
    console.error(`error: port ${port} is in use: pick another one (npm run fake-google -- --port ${port + 1}).`);
    process.exit(1);
  }
  throw err;
});
console.log(`Fake Google at ${fake.origin}`);
console.log(`Use it: FAKE_GOOGLE_ORIGIN=${fake.origin} npm run step N (in as many terminals as you like).`);
console.log('Stop with Ctrl-C.');

let stopping = false;
const stop = (said: string) => {
  if (stopping) return;
  stopping = true;
  void fake.close().then(() => {
    console.log(said);
    process.exit(0);
  });
};
process.on('SIGINT', () => stop('Stopped (SIGINT).'));
process.on('SIGTERM', () => stop('Stopped (SIGTERM).'));
whenParentEnds(() => stop('Stopped: the process that started it ended.'));
