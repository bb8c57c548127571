// State replay on another instance (step 1, deployed): a deployment runs several instances
// behind one address. The victim's sign-in is spent on instance A; the attacker replays the
// captured request to instance B. With memory stores each instance knows only the states it
// spent itself, so B takes it; with one Redis for both (REDIS_URL), B finds it spent. The
// instances are processes of their own (checker/replicas.ts), as in tutorial/production.md.
import { randomUUID } from 'node:crypto';
import { openLoginPage, postGconnect, type Replica } from '#checker';
import { redisMissing } from '#shared/stores.ts';
import { answerLine, copyBrowser, refused, type Attack, type Exchange } from './attack.ts';

/** The Redis the attack shares between its instances: REDIS_URL, or the usual local one. */
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** The victim signs in on `a`; the captured request goes again to `b`. Whether `b` took it. */
async function replayAcross([a, b]: Replica[], stores: string): Promise<{ exchanges: Exchange[]; taken: boolean }> {
  const victim = a!.agent();
  const { state } = await openLoginPage(victim);
  const captured = new Map(victim.cookies);
  const first = await postGconnect(victim, { state, code: '4/fixture-alice' });
  const replay = await postGconnect(copyBrowser(b!, captured), { state, code: '4/fixture-alice' });
  return {
    exchanges: [
      { sent: `${stores}: POST /gconnect?state=<her state> to instance A (her own sign-in)`, answered: answerLine(first) },
      { sent: `${stores}: the same request, state and cookie, to instance B`, answered: answerLine(replay) },
    ],
    taken: !refused(replay),
  };
}

const attack: Attack = {
  name: 'replay-elsewhere',
  title: 'State replay on another instance',
  goal: 'a state spent on one instance of a deployment, used again on another; stopped only where the instances share one Redis (tutorial/production.md)',
  // On step 0 it succeeds only because nothing checks a state yet. The mistake says more: a
  // state check that spends in a Set of its own module works on one instance, not on two (and
  // shows why the instances are processes: two apps in one process would share that Set).
  mistake: {
    says: 'the states spent in a Set of check-state.ts, not in ctx.spentStates',
    file: 'check-state.ts',
    edits: [
      {
        from: "return ctx.spentStates.spend(digestOf(state).toString('base64url'), STATE_LIFETIME_MS);",
        to: "const key = digestOf(state).toString('base64url');\n  const fresh = !spentHere.has(key);\n  spentHere.add(key);\n  return Promise.resolve(fresh);",
      },
      { from: 'function spend(', to: 'const spentHere = new Set<string>();\nfunction spend(' },
    ],
  },
  async run(kit) {
    const missing = await redisMissing(REDIS_URL, 1000);
    // A prefix of its own: the attack's states never meet a running server's (or another run's).
    const stores = { redisUrl: REDIS_URL, prefix: `attack-${randomUUID()}:` };
    // The two deployments start at once: each instance is a process, and starting one takes a while.
    const [apartReplicas, sharedReplicas] = await Promise.all([kit.replicas(2), missing ? null : kit.replicas(2, stores)]);
    const apart = await replayAcross(apartReplicas, 'memory stores, one per instance');
    if (!sharedReplicas) {
      return {
        exchanges: apart.exchanges,
        succeeded: apart.taken,
        skipped: `${missing}; start one, or set REDIS_URL, to see the instances share their spent states`,
        why: apart.taken ? 'with memory stores instance B took the state A had spent' : 'instance B refused it',
      };
    }
    const shared = await replayAcross(sharedReplicas, 'one Redis for both');
    return {
      exchanges: [...apart.exchanges, ...shared.exchanges],
      succeeded: shared.taken,
      why: shared.taken
        ? 'instance B did not refuse the state instance A had taken, though both share one Redis: a state check spends each state in that shared store (ctx.spentStates), not in memory of its own'
        : `instance B found the state spent in the Redis both share${apart.taken ? ' (with memory stores, one per instance, it took it: what REDIS_URL is for)' : ''}`,
    };
  },
};
export default attack;
