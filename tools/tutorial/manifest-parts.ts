// The generated parts that come from the manifest (kit/manifest.ts): the README's table of
// steps, the tutorial's index of chapters, and the fixture codes a step brings in. A step
// added, renamed or retitled in manifest.json reaches every one of them with npm run tutorial.
import { dirname, relative } from 'node:path';
import { loadFixtures } from '#fake-google/fixtures.ts';
import { listSteps, type StepInfo } from '#kit/manifest.ts';
import { answerOf, loadSuites } from '#checker/suite.ts';
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
