// State replay (step 1): a captured request replayed with its state and cookie, once, and ten
// times at once, hoping the server's one-time state works more than once.
import { openLoginPage, postGconnect } from '#checker';
import { answerLine, copyBrowser, refused, type Attack } from './attack.ts';

const RACERS = 10;

const attack: Attack = {
  name: 'state-replay',
  title: 'State replay',
  goal: 'a captured state, with its cookie, used again, and ten times at once',
  async run(kit) {
    const victim = kit.agent();
    const { state } = await openLoginPage(victim);
    const captured = new Map(victim.cookies);
    const first = await postGconnect(victim, { state, code: '4/fixture-alice' });
    const replay = await postGconnect(copyBrowser(kit, captured), { state, code: '4/fixture-alice' });

    const racer = kit.agent();
    const { state: raced } = await openLoginPage(racer);
    const replies = await Promise.all(
      Array.from({ length: RACERS }, () => postGconnect(copyBrowser(kit, racer.cookies), { state: raced, code: '4/fixture-alice' })),
    );
    const past = replies.filter((reply) => !refused(reply)).length;
    const statuses = [...new Set(replies.map((reply) => reply.status))].sort().join(', ');
    const replayed = !refused(replay);
    return {
      exchanges: [
        { sent: 'POST /gconnect?state=<her state>, her cookies; body: 4/fixture-alice (her own sign-in)', answered: answerLine(first) },
        { sent: 'the same request again, by the attacker who captured it (state and cookie)', answered: answerLine(replay) },
        {
          sent: `${RACERS} copies of one such request at once`,
          answered: `${past} of ${RACERS} got past the state check (statuses ${statuses})`,
        },
      ],
      succeeded: replayed || past > 1,
      why:
        replayed || past > 1
          ? `the state worked more than once${replayed ? ': the replay got through' : ''}${past > 1 ? `; ${past} of ${RACERS} racing requests got through` : ''}`
          : 'the state is spent the first time it is used: the replay and all racers but one refused',
    };
  },
};
export default attack;
