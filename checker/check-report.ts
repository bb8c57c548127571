// The check's words: what failed, in plain terms, with the chapter and the first hint; what
// passed and what comes next; the progress line. Everything goes through normalise().
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { inspect } from 'node:util';
import { normalise, unmark } from './normalise.ts';
import { describeRequest } from './exchange.ts';
import type { SentRequest } from './agent.ts';
import type { Blame, StepVerdict } from './runner.ts';
import { redactTokens } from '#shared/errors.ts';
import { ROOT, type StepInfo } from '#kit/manifest.ts';
import type { CheckOutcome } from './check-folder.ts';
import { chapterOf, hintsOf } from '#kit/hints.ts';
import { label } from '#kit/learner.ts';
import type { Warning } from './lint.ts';
import { bold, dim, green, red, yellow } from '#kit/style.ts';
import type { TypeProblem } from './typecheck.ts';

const indent = (text: string, by = '  ') =>
  text
    .split('\n')
    .map((line) => (line ? by + line : line))
    .join('\n');

/** Absolute paths of the kit's files as a learner sees them, relative to the kit. */
const kitPaths = (text: string) => text.split(`file://${ROOT}`).join('').split(ROOT).join('');

const clean = (text: string) => unmark(normalise(kitPaths(text)));

const show = (value: unknown): string =>
  typeof value === 'string' ? JSON.stringify(value) : inspect(value, { depth: 4, breakLength: Infinity, sorted: true });

interface Thrown {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  generatedMessage?: boolean;
  operator?: string;
  actual?: unknown;
  expected?: unknown;
  /** The last request the check's browsers had answered when it failed (the runner adds it). */
  lastRequest?: SentRequest;
}

const asThrown = (error: unknown): Thrown => (error instanceof Error ? (error as Thrown) : { name: 'Error', message: String(error) });

/** The expected-and-got lines of an assertion node worded itself. */
function assertionLines(error: Thrown): string[] {
  const got = `got:      ${show(error.actual)}`;
  switch (error.operator) {
    case 'match':
      return [`expected: text matching ${show(error.expected)}`, got];
    case 'doesNotMatch':
      return [`expected: text not matching ${show(error.expected)}`, got];
    case 'strictEqual':
    case 'deepStrictEqual':
      return [`expected: ${show(error.expected)}`, got];
    case 'notStrictEqual':
    case 'notDeepStrictEqual':
      return [`expected: anything but ${show(error.expected)}`, `got:      the same, ${show(error.actual)}`];
    case '==':
      return ['expected: a true value', got];
    default:
      return [error.message];
  }
}

/** Where in the learner's folder an error was thrown, from its stack. */
function whereIn(dir: string, error: Thrown): { file: string; line: number; column: number } | null {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  for (const found of (error.stack ?? '').matchAll(/(?:file:\/\/)?(\/[^\s():]+):(\d+):(\d+)/g)) {
    if (found[1]!.startsWith(prefix)) return { file: found[1]!, line: Number(found[2]), column: Number(found[3]) };
  }
  return null;
}

export function describeFailure(dir: string, thrown: unknown): string {
  const error = asThrown(thrown);
  // Node adds its own diff of actual and expected to a message the check wrote; the message
  // (sent / expected / got) already says it in plain words.
  if (error.name === 'AssertionError') {
    const lines = error.generatedMessage ? assertionLines(error) : [error.message.split(/\n+\+ actual - expected/)[0]!];
    // A failure that does not say what was sent (what a session or a database holds) is about
    // what the check's last request left behind: that request, said to be the last.
    if (!/^sent: /m.test(lines.join('\n')) && error.lastRequest) {
      const [first = '', ...rest] = describeRequest(error.lastRequest);
      lines.unshift(`${first} (the check's last request)`, ...rest);
    }
    return clean(lines.join('\n'));
  }
  if (error.name === 'NoAnswer' || error.name === 'CheckTimeout') return clean(error.message);
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

/** Where a syntax error is, from tsx's words or from Node's own (its type stripping's too). */
function syntaxError(error: Thrown): { file: string; line: number; column: number; message: string } | null {
  // esbuild (through tsx): "/abs/file.ts:3:10: ERROR: Expected ..."
  const esbuild = /(\/[^\s:]+\.[cm]?[jt]s):(\d+):(\d+): ERROR: (.*)/.exec(error.message);
  if (esbuild) return { file: esbuild[1]!, line: Number(esbuild[2]), column: Number(esbuild[3]), message: esbuild[4]! };
  // Node: a stack that starts "file:///abs/file.ts:15", a few lines of code, a caret under the column.
  const node =
    error.name === 'SyntaxError' ? /^(?:file:\/\/)?(\/[^\s:]+\.[cm]?[jt]s):(\d+)\n(?:.*\n){1,3}?( *)\^/.exec(error.stack ?? '') : null;
  if (node) return { file: node[1]!, line: Number(node[2]), column: node[3]!.length + 1, message: error.message };
  return null;
}

/** A syntax error or a crash while loading the learner's app: file, line, what, where. */
export function describeLoadError(dir: string, thrown: unknown): string {
  const error = asThrown(thrown);
  const syntax = syntaxError(error);
  const where = syntax ?? whereIn(dir, error);
  const message = syntax ? `syntax error: ${syntax.message}` : `${error.name}: ${error.message.split('\n')[0]}`;
  const lines = [where ? `${relative(ROOT, where.file)}:${where.line}:${where.column}: ${message}` : message];
  if (where) lines.push('', codeFrame(where.file, where.line, where.column));
  if (error.code === 'ERR_MODULE_NOT_FOUND' && /shared\//.test(error.message)) {
    lines.push('', `Import the kit's helpers as the reference steps do, from anywhere in ${label(dir)}: '#shared/NAME.ts'.`);
  }
  return clean(lines.join('\n'));
}

/** An exception's first line and where in the learner's folder it was thrown. */
function strayError(dir: string, stack: string): string {
  const [first = '', ...frames] = clean(redactTokens(stack)).split('\n');
  const mine = frames.find((frame) => frame.includes(label(dir)));
  return mine ? `${first}\n  ${mine.trim()}` : first;
}

export function describeTypeErrors(errors: TypeProblem[]): string {
  return clean(
    errors.map((error) => (error.file ? `${error.file}:${error.line}:${error.column}: ${error.message}` : error.message)).join('\n'),
  );
}

function describeWarnings(warnings: Warning[]): string {
  return warnings.map((warning) => yellow(`⚠ ${warning.file}:${warning.line}: ${warning.message}`)).join('\n');
}

export function progressLine(verdicts: StepVerdict[], all: StepInfo[]): string {
  return verdicts
    .map(({ step, ok }) => {
      const title = all.find((s) => s.number === step)?.title.toLowerCase() ?? '';
      if (ok === true) return green(`✔ ${step} ${title}`);
      if (ok === false) return red(`✘ ${step} ${title}`);
      return dim(`· ${step}`);
    })
    .join('  ');
}

/** What the stage where a chain stopped did, in words: it answered 401 "Invalid ID token.", it threw. */
export function describeBlame(blame: Blame): string {
  const what =
    blame.outcome === 'threw'
      ? 'it threw'
      : blame.outcome === 'stopped'
        ? 'it neither answered nor called next()'
        : `it answered ${[
            blame.status,
            blame.message && !/^[\w.+-]+\/[\w.+-]+$/.test(blame.message) ? JSON.stringify(blame.message) : blame.message,
          ]
            .filter((part) => part !== undefined)
            .join(' ')}`;
  return `your chain stopped at ${blame.stage}, step ${blame.step}: ${what}${what.endsWith('."') ? '' : '.'}`;
}

/** 1 of 6 checks fail; and 8 checks of other steps stop at its stages. */
function failCount(verdict: StepVerdict): string {
  const own = `${verdict.failed} of ${verdict.total} checks fail`;
  if (!verdict.blamed) return own;
  const others = `${verdict.blamed} ${verdict.blamed === 1 ? 'check' : 'checks'} of other steps`;
  return `${own}, and ${others} that need${verdict.blamed === 1 ? 's' : ''} a whole sign-in stop${verdict.blamed === 1 ? 's' : ''} at its stage`;
}

function failedStep(dir: string, verdict: StepVerdict, step: StepInfo, outcome: CheckOutcome): string {
  const failure = verdict.failure!;
  const hint = hintsOf(step)[0];
  const lines = [
    red(bold(`✘ Step ${step.number}, ${step.title.toLowerCase()}: ${failCount(verdict)}. The first:`)),
    indent(clean(failure.name)),
  ];
  // Where the chain stopped, unless it went where it should (an answer under 400 is a chain's end, not a stop).
  if (failure.blame && (failure.blame.precondition || failure.blame.outcome !== 'answered' || (failure.blame.status ?? 500) >= 400)) {
    // A check whose precondition (a whole sign-in) failed: the stage that stopped the chain is to blame.
    if (failure.blame.precondition && failure.step !== step.number)
      lines.push(indent(`(a check of step ${failure.step}; it needs a whole sign-in, and yours stopped before the end)`, '    '));
    lines.push(indent(clean(describeBlame(failure.blame)), '    '));
  }
  lines.push(indent(describeFailure(dir, failure.error), '    '));
  if (failure.placeholder && /^got: +200 /m.test(describeFailure(dir, failure.error))) {
    lines.push(
      indent(
        `This is the answer where your chain ends at step ${step.number}. If you have written later steps, check them all: npm run check`,
        '    ',
      ),
    );
  }
  if (outcome.run.googleSaw.length > 0) {
    lines.push(
      '',
      indent('The fake Google refused requests from your server:'),
      ...outcome.run.googleSaw.map((line) => indent(clean(line), '    ')),
    );
  }
  // The failing check's own lines (the same line once, with how often it came).
  const counts = new Map<string, number>();
  for (const line of failure.log ?? outcome.run.serverLog) counts.set(line, (counts.get(line) ?? 0) + 1);
  const logged = [...counts]
    .slice(0, 8)
    .map(([line, count]) => clean(redactTokens(line)).split('\n').slice(0, 6).join('\n') + (count > 1 ? `\n(${count} times)` : ''));
  if (logged.length > 0) lines.push('', indent('Your server logged:'), ...logged.map((line) => indent(line, '    ')));
  lines.push('', indent(`Chapter: ${chapterOf(step)}`));
  if (hint) lines.push(indent(`Hint (${hint.title}):`), indent(hint.text, '    '), indent(dim(`More help: npm run hint ${step.number}`)));
  return lines.join('\n');
}

function passedStep(verdict: StepVerdict, step: StepInfo, next: StepInfo | undefined, last: boolean, typeErrors: boolean): string {
  if (last && typeErrors) {
    return red(
      bold(
        `✘ Step ${step.number}, ${step.title.toLowerCase()}: its ${verdict.total} checks pass over HTTP, but tsc finds type errors (above): fix them first.`,
      ),
    );
  }
  const deferred = verdict.deferred
    ? ` ${verdict.deferred} more ${verdict.deferred === 1 ? 'needs' : 'need'} a whole sign-in, which stops at a later step's stage: ${verdict.deferred === 1 ? 'it counts' : 'they count'} there.`
    : '';
  const all = verdict.total === 1 ? 'its one check passes' : `all ${verdict.total} checks pass`;
  const lines = [green(`✔ Step ${step.number}, ${step.title.toLowerCase()}: ${all}.${deferred}`)];
  if (last) {
    lines.push(
      indent(
        next
          ? `Next: step ${next.number}, ${next.title.toLowerCase()}. ${next.summary} Read ${chapterOf(next)}.`
          : 'That was the last step: your server does the whole sign-in.',
      ),
    );
    lines.push(indent(`Compare notes with the reference: npm run compare ${step.number}`));
  }
  return lines.join('\n');
}

/**
 * The steps to show: those asked for (1..N, or 0 alone for `check 0`), and step 0 when it
 * failed; type errors turn the last passing step's verdict into a failure.
 */
export function shownVerdicts(outcome: CheckOutcome): StepVerdict[] {
  const asked = outcome.verdicts.filter((verdict) => verdict.step > 0 || outcome.verdicts.length === 1 || verdict.ok === false);
  if (outcome.typeErrors.length === 0 || outcome.run.loadError !== undefined) return asked;
  const lastPassing = asked.findLastIndex((verdict) => verdict.ok === true);
  const failing = asked.some((verdict) => verdict.ok === false);
  return failing || lastPassing < 0 ? asked : asked.map((verdict, index) => (index === lastPassing ? { ...verdict, ok: false } : verdict));
}

export function report(dir: string, outcome: CheckOutcome, all: StepInfo[]): string {
  const out: string[] = [];
  const { run } = outcome;
  if (run.loadError !== undefined)
    out.push(red(bold(`✘ Your app in ${label(dir)} did not load:`)), indent(describeLoadError(dir, run.loadError)), '');
  if (outcome.typeErrors.length > 0) out.push(red(bold('✘ Type errors (tsc):')), indent(describeTypeErrors(outcome.typeErrors)), '');
  if (outcome.warnings.length > 0) out.push(describeWarnings(outcome.warnings), '');
  // An exception outside any request fails no check by itself, but it would end a real server.
  const stray = [
    ...new Set(
      run.serverLog.filter((line) => line.startsWith('uncaught: ')).map((line) => strayError(dir, line.slice('uncaught: '.length))),
    ),
  ];
  if (stray.length > 0)
    out.push(
      yellow('⚠ Your server threw outside any request (a real server would have stopped):'),
      ...stray.map((text) => indent(text)),
      '',
    );
  const shown = shownVerdicts(outcome);
  if (run.loadError === undefined) {
    const judged = outcome.verdicts.filter((verdict) => shown.some((s) => s.step === verdict.step) && verdict.ok !== null);
    for (const [index, verdict] of judged.entries()) {
      const step = all.find((s) => s.number === verdict.step)!;
      out.push(
        verdict.ok
          ? passedStep(
              verdict,
              step,
              all.find((s) => s.number === step.number + 1),
              index === judged.length - 1,
              outcome.typeErrors.length > 0,
            )
          : failedStep(dir, verdict, step, outcome),
      );
    }
    if (judged.length > 0) out.push('');
  }
  out.push(progressLine(run.loadError === undefined ? shown : shown.map((verdict) => ({ ...verdict, ok: null })), all));
  return out.join('\n');
}
