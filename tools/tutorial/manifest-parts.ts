// The generated parts that come from the manifest (kit/manifest.ts): the README's table of
// steps, the tutorial's index of chapters, the fixture codes a step brings in, and the attacks
// its defence stops. A step added, renamed or retitled in manifest.json reaches every one of
// them with npm run tutorial.
import { dirname, relative } from 'node:path';
import { loadFixtures } from '#fake-google/fixtures.ts';
import { listSteps, type StepInfo } from '#kit/manifest.ts';
import { answerOf, loadSuites } from '#checker/suite.ts';
import { loadAttacks } from '#attacks/lab.ts';
import { TutorialError } from './parse.ts';

/** Markdown would take a `<script>` or a `|` in a fixture's words as markup. */
function escapeMarkdown(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('|', '\\|');
}

/** The README's table: each step's folder, its gist, and what its POST /gconnect answers (its suite's placeholder). */
export async function renderStepsTable(): Promise<string> {
  const suites = await loadSuites();
  const rows = listSteps().map((step) => {
    const suite = suites.find((candidate) => candidate.step === step.number);
    return `| ${step.number} | \`steps/${step.name}\` | ${step.gist} | ${suite ? escapeMarkdown(answerOf(suite)) : ''} |`;
  });
  return ['| step | folder | adds | POST /gconnect answers, with `4/fixture-alice` |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The tutorial's index: one numbered line per chapter, linked from the document `from`. */
export function renderChapters(from: string): string {
  return listSteps()
    .map((step) => `${step.number}. [${step.title}](${relative(dirname(from), step.chapter)}): ${step.gist}.`)
    .join('\n');
}

/** The fixture codes step `number` brings in, each with what the fake Google does. */
export function renderFixtures(number: number): string {
  const step: StepInfo | undefined = listSteps().find((candidate) => candidate.number === number);
  if (!step) throw new TutorialError(`no step ${number} in manifest.json`);
  if (step.fixtures.length === 0) return 'None.';
  const scenarios = loadFixtures().scenarios;
  return step.fixtures.map((code) => `- \`${code}\`: ${escapeMarkdown(scenarios.get(code)?.says ?? '')}`).join('\n');
}

/**
 * The attacks step `number`'s defence stops (manifest.json's "attacks"), each with what it is
 * after and where it succeeds: on the step before, or, when the steps before are not open to it
 * (the defence lands with the feature), on this step written with the mistake the attack
 * carries (npm test runs both).
 */
export async function renderAttacks(number: number): Promise<string> {
  const steps = listSteps();
  const step = steps.find((candidate) => candidate.number === number);
  if (!step) throw new TutorialError(`no step ${number} in manifest.json`);
  const attacks = await loadAttacks([step]);
  if (attacks.length === 0) throw new TutorialError(`step ${number} declares no attacks in manifest.json`);
  return attacks
    .map(({ attack }) => {
      const mistake = attack.mistake;
      const where = !mistake
        ? `It succeeds on step ${number - 1}.`
        : mistake.before
          ? `Stopped on every step before this one (${mistake.before}); it succeeds on a step ${number} written with a mistake: ${mistake.says}.`
          : `It succeeds on step ${number - 1}, and on a step ${number} written with a mistake: ${mistake.says}.`;
      return `- \`npm run attack ${attack.name}\`: ${escapeMarkdown(attack.title)}: ${escapeMarkdown(attack.goal)}. ${escapeMarkdown(where)}`;
    })
    .join('\n');
}
