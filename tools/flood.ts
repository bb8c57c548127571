// npm run flood [-- --sign-ins N] [-- --visits N] (a maintainer's tool): the last step's stores
// stay bounded, and a flood of anonymous visits signs nobody out. Signs in N times (10,000 by
// default; fixture users, offline), so the session store is full; then Alice signs in and Bob
// begins to; then N cookie-less GET /login (100,000). Reports the sessions kept, the states
// spent, the memory, whether Alice is still signed in and Bob's sign-in still goes through.
// Slow: a minute or two.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Agent, openLoginPage, postGconnect, signIn, startKit } from '#checker';
import { argsOrExit, countOrExit } from '#kit/cli.ts';
import { listSteps } from '#kit/manifest.ts';
import type { MemorySpentStates } from '#shared/stores.ts';

const USAGE = 'npm run flood [-- --sign-ins N] [-- --visits N]';
const { values } = argsOrExit({
  usage: USAGE,
  command: 'npm run flood',
  options: { 'sign-ins': { type: 'string' }, visits: { type: 'string' } },
  ownWord: () => false,
});
const signIns = countOrExit(values['sign-ins'], 10_000, 'sign-ins', USAGE);
const visits = countOrExit(values.visits, 100_000, 'visits', USAGE);
const last = listSteps().at(-1)!;
// The store as the kit sizes it (10,000 sessions), not the small one the checks use.
const kit = await startKit(last.dir, { sessionsKept: 10_000 });
const sessions = kit.sessions;
// The memory store (the checks' setting): it counts what it keeps.
const spentStates = kit.spentStates as MemorySpentStates;

// Memory after a full collection, so that the figures are what is kept, not what is garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const report = (when: string) => {
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  console.log(
    `${when.padEnd(38)} sessions ${String(sessions.size).padStart(6)} of ${sessions.max}, states spent ${String(spentStates.size).padStart(6)} of ${spentStates.max}, heap ${mb(heapUsed)}, RSS ${mb(rss)}`,
  );
};

/** Runs `work` `count` times, `at` at once. */
async function times(count: number, at: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: at }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

report('at start');
let started = performance.now();
await times(signIns, 16, async (i) => {
  const agent = new Agent(kit.base);
  const reply = await signIn(agent, i % 2 ? '4/fixture-bob' : '4/fixture-alice');
  agent.close();
  if (reply.status !== 200) throw new Error(`sign-in ${i}: ${reply.status} ${reply.body}`);
});
report(`after ${signIns} sign-ins (${((performance.now() - started) / 1000).toFixed(0)} s)`);

// Alice signs in now (the store is full: the oldest session makes room); Bob begins to.
const alice = kit.agent();
if ((await signIn(alice, '4/fixture-alice')).status !== 200) throw new Error('Alice could not sign in');
const bob = kit.agent();
const { state: bobState } = await openLoginPage(bob);

started = performance.now();
const visitors = Array.from({ length: 32 }, () => new Agent(kit.base));
await times(visits, 32, async (i) => {
  const visitor = visitors[i % 32]!;
  visitor.cookies.clear();
  const reply = await visitor.get('/login');
  if (reply.status !== 200) throw new Error(`visit ${i}: ${reply.status}`);
});
for (const visitor of visitors) visitor.close();
report(`after ${visits} visits (${((performance.now() - started) / 1000).toFixed(0)} s)`);

const home = await alice.get('/');
console.log(
  `Alice, signed in before the visits: ${/Signed in as <strong>Alice Liddell/.test(home.body) ? 'still signed in' : 'SIGNED OUT'}`,
);
const finished = await postGconnect(bob, { state: bobState, code: '4/fixture-bob' });
console.log(
  `Bob's sign-in, begun before the visits: ${finished.status === 200 ? 'went through' : `FAILED, ${finished.status} ${finished.body}`}`,
);
await kit.close();
