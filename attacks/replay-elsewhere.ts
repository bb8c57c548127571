// State replay on another instance (step 1, deployed): a deployment runs several instances
// behind one address. The victim's sign-in is spent on instance A; the attacker replays the
// captured request to instance B. With memory stores each instance knows only the states it
// spent itself, so B takes it; with one Redis for both (REDIS_URL), B finds it spent.
// tutorial/production.md shows the same with two server processes.
import { randomUUID } from 'node:crypto';
import { openLoginPage, postGconnect, type Kit } from '#checker';
import { redisMissing } from '#shared/stores.ts';
import { answerLine, copyBrowser, refused, type Attack, type Exchange } from './attack.ts';

/** The Redis the attack shares between its instances: REDIS_URL, or the usual local one. */
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** The victim signs in on `a`; the captured request goes again to `b`. Whether `b` took it. */
async function replayAcross([a, b]: Kit[], stores: string): Promise<{ exchanges: Exchange[]; taken: boolean }> {
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
  async run(kit) {
    const apart = await replayAcross(await kit.replicas(2), 'memory stores, one per instance');
    const missing = await redisMissing(REDIS_URL, 1000);
    if (missing) {
      return {
        exchanges: apart.exchanges,
        succeeded: apart.taken,
        skipped: `${missing}; start one, or set REDIS_URL, to see the instances share their spent states`,
        why: apart.taken ? 'with memory stores instance B took the state A had spent' : 'instance B refused it',
      };
    }
    // A prefix of its own: the attack's states never meet a running server's (or another run's).
    const stores = { redisUrl: REDIS_URL, prefix: `attack-${randomUUID()}:` };
    const shared = await replayAcross(await kit.replicas(2, { stores }), 'one Redis for both');
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
