// What `npm run attack` prints: one attack in full (what was sent, what came back, the
// verdict, the chapter), or the score board of them all.
import type { Result } from './lab.ts';

export const STOPPED = 'stopped';
export const SUCCEEDED = 'SUCCEEDED';
export const SKIPPED = 'skipped';

/** The verdict's word: stopped, SUCCEEDED, or skipped (it could not be tried in full here). */
function verdictOf(result: Result): string {
  if (result.outcome.skipped !== undefined) return SKIPPED;
  return result.outcome.succeeded ? SUCCEEDED : STOPPED;
}

/** Whether the folder, at step `at`, is expected to stop this attack: its defence's step is `at` or before. */
export function shouldStop(result: Result, at: number): boolean {
  return result.step.number <= at;
}

/** One attack in full. */
export function describe(result: Result): string {
  const { attack, step, outcome } = result;
  const lines = [`Attack ${attack.name}: ${attack.title}. ${attack.goal[0]!.toUpperCase()}${attack.goal.slice(1)}.`];
  for (const { sent, answered } of outcome.exchanges) lines.push(`  sent:     ${sent}`, `  answered: ${answered}`);
  if (outcome.skipped !== undefined) lines.push(`Verdict: ${SKIPPED}: ${outcome.skipped}. So far, ${outcome.why}.`);
  else lines.push(`Verdict: ${verdictOf(result)}: ${outcome.why}.`);
  lines.push(`The defence: step ${step.number}, ${step.title.toLowerCase()}: ${step.chapter}`);
  return lines.join('\n');
}

/** The score board: each attack, the step that stops it, and this folder's verdict. */
export function scoreBoard(results: readonly Result[], at: number): string {
  const width = Math.max(...results.map((result) => result.attack.name.length), 'attack'.length);
  const lines = [`${'attack'.padEnd(width)}  stopped from  here`];
  for (const result of results) {
    const verdict = verdictOf(result);
    const late = verdict === SUCCEEDED && shouldStop(result, at) ? `  <- step ${at} should stop it` : '';
    lines.push(`${result.attack.name.padEnd(width)}  step ${String(result.step.number).padEnd(8)} ${verdict}${late}`);
  }
  if (results.some((result) => verdictOf(result) === STOPPED && !shouldStop(result, at))) lines.push('', EARLY);
  return lines.join('\n');
}

/** Said under a board where an attack is stopped before its step: not always by a defence. */
export const EARLY = 'An attack stopped before its step may have found nothing to attack yet: npm run attack NAME says why.';

/** The closing line: how many were stopped, and whether every one the step should stop was. */
export function summary(results: readonly Result[], at: number): { ok: boolean; text: string } {
  const owed = results.filter((result) => shouldStop(result, at));
  const missed = owed.filter((result) => verdictOf(result) === SUCCEEDED);
  const stopped = results.filter((result) => verdictOf(result) === STOPPED).length;
  const skipped = results.filter((result) => verdictOf(result) === SKIPPED);
  const text =
    (missed.length === 0
      ? `${stopped} of ${results.length} stopped; every attack step ${at} should stop is stopped`
      : `${stopped} of ${results.length} stopped; step ${at} should stop ${missed.map((result) => result.attack.name).join(', ')}: see ${[...new Set(missed.map((result) => result.step.chapter))].join(', ')}`) +
    (skipped.length > 0 ? `; not tried in full here: ${skipped.map((result) => result.attack.name).join(', ')}.` : '.');
  return { ok: missed.length === 0, text };
}
