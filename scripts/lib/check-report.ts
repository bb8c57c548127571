// The check's words: what failed, in plain terms, with the chapter and the first hint; what
// passed and what comes next; the progress line. Everything goes through normalise().
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT, type StepInfo } from '../../shared/steps.ts';
import type { CheckOutcome, StepVerdict } from './check-run.ts';
import type { ErrorReport } from './check-protocol.ts';
import { chapterOf, hintsOf } from './hints.ts';
import { label } from './learner.ts';
import { normalise } from './normalise.ts';
import { bold, dim, green, red } from './style.ts';
import type { TypeProblem } from './typecheck.ts';

const indent = (text: string, by = '  ') => text.split('\n').map((line) => (line ? by + line : line)).join('\n');

/** Absolute paths of the kit's files as a learner sees them, relative to the kit. */
const kitPaths = (text: string) => text.split(`file://${ROOT}`).join('').split(ROOT).join('');

const clean = (text: string) => normalise(kitPaths(text));

/** The expected-and-got lines of an assertion node worded itself. */
function assertionLines(error: ErrorReport): string[] {
  const got = `got:      ${error.actual}`;
  switch (error.operator) {
    case 'match':
      return [`expected: text matching ${error.expected}`, got];
    case 'doesNotMatch':
      return [`expected: text not matching ${error.expected}`, got];
    case 'strictEqual':
    case 'deepStrictEqual':
      return [`expected: ${error.expected}`, got];
    case 'notStrictEqual':
      return [`expected: anything but ${error.expected}`];
    case '==':
      return ['expected: a true value', got];
    default:
      return [error.message];
  }
}

/** Where in the learner's folder an error was thrown, from its stack. */
function whereIn(dir: string, error: ErrorReport): { file: string; line: number; column: number } | null {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  for (const found of (error.stack ?? '').matchAll(/(?:file:\/\/)?(\/[^\s():]+):(\d+):(\d+)/g)) {
    if (found[1]!.startsWith(prefix)) return { file: found[1]!, line: Number(found[2]), column: Number(found[3]) };
  }
  return null;
}

export function describeFailure(dir: string, error: ErrorReport): string {
  // Node adds its own diff of actual and expected to a message the test wrote; the message
  // (expectJson's sent/expected/got) already says it in plain words.
  if (error.name === 'AssertionError') return clean((error.generatedMessage ? assertionLines(error) : [error.message.split(/\n+\+ actual - expected/)[0]!]).join('\n'));
  const where = whereIn(dir, error);
  const lines = [`error: ${error.message}`];
  if (where) lines.push(`at ${relative(ROOT, where.file)}:${where.line}:${where.column}`);
  return clean(lines.join('\n'));
}

/** The source line an error points at, with a caret under the column. */
function codeFrame(file: string, line: number, column: number): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8').split('\n')[line - 1];
  if (text === undefined) return '';
  const gutter = `${line} | `;
  return `${gutter}${text}\n${' '.repeat(gutter.length + Math.max(column - 1, 0))}^`;
}

/** A syntax error or a crash while loading the learner's app: file, line, what, where. */
export function describeLoadError(dir: string, error: ErrorReport): string {
  // esbuild (through tsx) words a syntax error as "/abs/file.ts:3:10: ERROR: Expected ..."
  const syntax = /(\/[^\s:]+\.[cm]?[jt]s):(\d+):(\d+): ERROR: (.*)/.exec(error.message);
  const where = syntax ? { file: syntax[1]!, line: Number(syntax[2]), column: Number(syntax[3]) } : whereIn(dir, error);
  const message = syntax ? `syntax error: ${syntax[4]}` : `${error.name}: ${error.message.split('\n')[0]}`;
  const lines = [where ? `${relative(ROOT, where.file)}:${where.line}:${where.column}: ${message}` : message];
  if (where) lines.push('', codeFrame(where.file, where.line, where.column));
  if (error.code === 'ERR_MODULE_NOT_FOUND' && /shared\//.test(error.message)) {
    lines.push('', `Import the kit's helpers as the reference steps do, from anywhere in ${label(dir)}: '#shared/NAME.ts'.`);
  }
  return clean(lines.join('\n'));
}

export function describeTypeErrors(errors: TypeProblem[]): string {
  return clean(errors.map((error) => `${error.file}:${error.line}:${error.column}: ${error.message}`).join('\n'));
}

export function progressLine(verdicts: StepVerdict[]): string {
  return verdicts
    .map(({ step, ok }) => {
      if (ok === true) return green(`✔ ${step.number} ${step.title.toLowerCase()}`);
      if (ok === false) return red(`✘ ${step.number} ${step.title.toLowerCase()}`);
      return dim(`· ${step.number}`);
    })
    .join('  ');
}

function failedStep(dir: string, verdict: StepVerdict): string {
  const { step, failure } = verdict;
  const hint = hintsOf(step)[0];
  const lines = [
    red(bold(`✘ Step ${step.number}, ${step.title.toLowerCase()}: ${verdict.failed} of ${verdict.total} checks fail. The first:`)),
    indent(clean(failure!.test)),
    indent(describeFailure(dir, failure!.error ?? { name: 'Error', message: 'failed' }), '    '),
    '',
    indent(`Chapter: ${chapterOf(step)}`),
  ];
  if (hint) lines.push(indent(`Hint (${hint.title}):`), indent(hint.text, '    '), indent(dim(`More help: npm run hint ${step.number}`)));
  return lines.join('\n');
}

function passedStep(verdict: StepVerdict, next: StepInfo | undefined, last: boolean): string {
  const { step } = verdict;
  const lines = [green(`✔ Step ${step.number}, ${step.title.toLowerCase()}: all ${verdict.total} checks pass.`)];
  if (last) {
    lines.push(indent(next ? `Next: step ${next.number}, ${next.title.toLowerCase()}. ${next.summary} Read ${chapterOf(next)}.` : 'That was the last step: your server does the whole sign-in.'));
    lines.push(indent(`Compare notes with the reference: npm run compare ${step.number}`));
  }
  return lines.join('\n');
}

export function report(dir: string, outcome: CheckOutcome, all: StepInfo[]): string {
  const out: string[] = [];
  if (outcome.loadError) out.push(red(bold(`✘ Your app in ${label(dir)} did not load:`)), indent(describeLoadError(dir, outcome.loadError)), '');
  if (outcome.typeErrors.length > 0) out.push(red(bold(`✘ Type errors (tsc):`)), indent(describeTypeErrors(outcome.typeErrors)), '');
  if (outcome.crash !== null) out.push(red(bold('✘ The checks could not run:')), indent(clean(outcome.crash.trim())), '');
  const judged = outcome.verdicts.filter((verdict) => verdict.ok !== null);
  for (const [index, verdict] of judged.entries()) {
    if (verdict.ok) out.push(passedStep(verdict, all.find((step) => step.number === verdict.step.number + 1), index === judged.length - 1));
    else out.push(failedStep(dir, verdict));
  }
  if (judged.length > 0) out.push('');
  out.push(progressLine(outcome.verdicts));
  return out.join('\n');
}

export function passed(outcome: CheckOutcome): boolean {
  return !outcome.loadError && outcome.typeErrors.length === 0 && outcome.crash === null && outcome.verdicts.every((verdict) => verdict.ok === true);
}

