// The one way the kit runs its suites against a folder: `npm test` (each reference step),
// `npm run check` (the learner's folder), the kit's self-tests and the tutorial all come
// through runChecks(). One app and one fake Google serve a whole run; the checks run
// concurrently, each with its own browsers and a timeout that names what it waited for.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { format } from 'node:util';
import { requestLine, type SentRequest } from './agent.ts';
import { checkTag } from './check-log.ts';
import { isChainFailure } from './expect.ts';
import type { StoppedAt } from './exchange.ts';
import { listSteps } from '#kit/manifest.ts';
import { importApp, startKit, type RunningKit } from './serve-app.ts';
import { loadSuites, type Check, type Suite } from './suite.ts';

/**
 * A hang guard for one check: how long it may go without any of its requests settling (each
 * request has its own, shorter guard). Not a budget for the whole check: a flood of 250
 * visits on a busy machine takes as long as it takes, as long as answers keep coming.
 */
export const CHECK_TIMEOUT_MS = 30_000;
/** Checks in flight at once: enough to overlap waits, few enough that none queues for long. */
const CONCURRENCY = 16;
/**
 * After the app closes, how long its stray exceptions are still caught. Not a guess at speed:
 * Node fires timers in the order they fall due, so a timer the app set (up to this delay)
 * before the run ended fires before this wait does, whatever the machine's load.
 */
const STRAY_GRACE_MS = 50;

export interface CheckPlan {
  /** A folder with an app.ts that exports createApp(config). */
  dir: string;
  /** The steps whose behaviour checks run. */
  steps: readonly number[];
  /** The step whose placeholder check runs too (where the folder's chain should end), or null. */
  placeholder: number | null;
}

export interface PlannedCheck {
  step: number;
  title: string;
  name: string;
  placeholder: boolean;
  check: Check;
}

export interface CheckResult {
  step: number;
  name: string;
  placeholder: boolean;
  ok: boolean;
  /** What the check threw: an AssertionError with sent / expected / got, a NoAnswer, ... */
  error?: unknown;
  /**
   * Where the answer the check failed on stopped: the stage, and the step that adds it. A
   * failed precondition (the check needed a whole sign-in) is blamed on that step.
   */
  blame?: Blame;
  /** What the app logged while it answered this check's requests. */
  log?: string[];
  ms: number;
}

export interface Blame extends StoppedAt {
  /** The step whose manifest entry adds the stage's file (validate-tokens.ts: step 3). */
  step: number;
  /** The check needed a whole sign-in (and was not about this stage). */
  precondition: boolean;
}

/** The step that adds a stage, by its file's name (manifest.json's `adds`); null for a stage of the learner's own. */
export function stepOfStage(stage: string): number | null {
  return listSteps().find((step) => step.adds.includes(`${stage}.ts`))?.number ?? null;
}

function blameOf(error: unknown): Blame | undefined {
  if (!isChainFailure(error) || !error.stoppedAt) return undefined;
  const step = stepOfStage(error.stoppedAt.stage);
  return step === null ? undefined : { ...error.stoppedAt, step, precondition: error.precondition === true };
}

export interface CheckRun {
  /** app.ts did not load, or createApp threw: nothing ran. */
  loadError?: unknown;
  results: CheckResult[];
  /** What the app printed while the checks ran: its error log, a learner's console.log. */
  serverLog: string[];
  /** Requests the fake Google refused as malformed, in plain words (a wrong redirect_uri, ...). */
  googleSaw: string[];
}

/** The checks a plan runs, in the order the suites define them. */
export function planChecks(suites: Suite[], plan: Omit<CheckPlan, 'dir'>): PlannedCheck[] {
  const planned: PlannedCheck[] = [];
  for (const suite of suites) {
    if (!plan.steps.includes(suite.step)) continue;
    const own = { step: suite.step, title: suite.title };
    for (const check of suite.checks) planned.push({ ...own, name: check.name, placeholder: false, check });
    if (suite.placeholder && plan.placeholder === suite.step) {
      planned.push({ ...own, name: suite.placeholder.name, placeholder: true, check: suite.placeholder });
    }
  }
  return planned;
}

/** A check that outlived CHECK_TIMEOUT_MS; the message says which requests were unanswered. */
export class CheckTimeout extends Error {
  override name = 'CheckTimeout';
}

// The app's console output during a run goes to that run's log (runs may overlap in one
// process: npm test checks every reference step at once). Outside a run it goes through.
const runLog = new AsyncLocalStorage<string[]>();
const activeLogs = new Set<string[]>();
/** Each running check's own log, by the tag its requests carry. */
const checkLogs = new Map<string, string[]>();
let checksStarted = 0;
let consoleHooked = false;

function hookConsole(): void {
  if (consoleHooked) return;
  consoleHooked = true;
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const log = runLog.getStore();
      if (!log) return original(...args);
      const line = format(...args);
      log.push(line);
      const tag = checkTag();
      if (tag !== undefined) checkLogs.get(tag)?.push(line);
    };
  }
}

/**
 * An exception outside any request (a stage's stray timer, a promise nobody awaited) is the
 * app's doing: while runs are in progress it goes into their logs instead of ending the process.
 */
function recordStray(err: unknown): void {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  for (const log of activeLogs) log.push(`uncaught: ${text}`);
}

/** Whether a run is catching the app's stray exceptions now (its log has them). */
export function checksRunning(): boolean {
  return activeLogs.size > 0;
}

function startLog(log: string[]): void {
  if (activeLogs.size === 0) process.on('uncaughtException', recordStray).on('unhandledRejection', recordStray);
  activeLogs.add(log);
}

function endLog(log: string[]): void {
  activeLogs.delete(log);
  if (activeLogs.size === 0) process.off('uncaughtException', recordStray).off('unhandledRejection', recordStray);
}

export interface RunOptions {
  /** The suites to take the checks from; by default checker/suites/. */
  suites?: Suite[];
  /** How long one check may go without an answer (default CHECK_TIMEOUT_MS). */
  checkTimeoutMs?: number;
  /** How long one request may wait for its answer (default REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
}

/** A check's requests in flight; each one that settles (answered or failed) is reported. */
class InFlight extends Set<SentRequest> {
  readonly #settled: () => void;
  /** The request settled last: what a failure that names no request is about. */
  last: SentRequest | undefined;

  constructor(settled: () => void) {
    super();
    this.#settled = settled;
  }

  override delete(request: SentRequest): boolean {
    this.#settled();
    this.last = request;
    return super.delete(request);
  }
}

async function runOne(kit: RunningKit, planned: PlannedCheck, options: RunOptions): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  // Each answer gives the check its time again: a hang guard, not a budget.
  const inFlight = new InFlight(() => timer?.refresh());
  const tag = String(++checksStarted);
  const log: string[] = [];
  checkLogs.set(tag, log);
  const view = kit.forTest(inFlight, options.requestTimeoutMs, tag);
  const started = performance.now();
  const limit = options.checkTimeoutMs ?? CHECK_TIMEOUT_MS;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const waiting = [...inFlight].map(requestLine);
      const what = waiting.length > 0 ? `it was waiting for ${waiting.join(', and for ')}` : 'it was not waiting for any request';
      reject(new CheckTimeout(`this check went ${limit / 1000} s without an answer: ${what}`));
    }, limit);
  });
  const result = { step: planned.step, name: planned.name, placeholder: planned.placeholder, log };
  try {
    await Promise.race([planned.check.run(view), timeout]);
    return { ...result, ok: true, ms: performance.now() - started };
  } catch (error) {
    if (error instanceof Error && inFlight.last) Object.assign(error, { lastRequest: inFlight.last });
    const blame = blameOf(error);
    return { ...result, ok: false, error, ...(blame ? { blame } : {}), ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
    view.closeAgents();
    checkLogs.delete(tag);
  }
}

/** Runs `planned` with at most CONCURRENCY at once; results in the planned order. */
async function runAll(kit: RunningKit, planned: PlannedCheck[], options: RunOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = new Array(planned.length);
  let next = 0;
  const worker = async () => {
    while (next < planned.length) {
      const index = next++;
      results[index] = await runOne(kit, planned[index]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, planned.length) }, worker));
  return results;
}

export async function runChecks(plan: CheckPlan, options: RunOptions = {}): Promise<CheckRun> {
  hookConsole();
  const log: string[] = [];
  startLog(log);
  try {
    return await runLog.run(log, async () => {
      let kit: RunningKit;
      try {
        kit = await startKit(plan.dir, { createApp: await importApp(plan.dir) });
      } catch (loadError) {
        return { loadError, results: [], serverLog: log, googleSaw: [] };
      }
      try {
        const results = await runAll(kit, planChecks(options.suites ?? (await loadSuites(plan.steps)), plan), options);
        return { results, serverLog: log, googleSaw: [...kit.fake.complaints] };
      } finally {
        await kit.close();
        await sleep(STRAY_GRACE_MS);
      }
    });
  } finally {
    endLog(log);
  }
}

export interface StepVerdict {
  step: number;
  /** null: not judged, because an earlier step failed. */
  ok: boolean | null;
  /** The step's first failing check, in the order its suite defines them. */
  failure?: CheckResult;
  /** The step's own checks that fail, and how many it has. */
  failed: number;
  total: number;
  /** Checks of other steps whose whole sign-in stopped at a stage of this step. */
  blamed?: number;
  /** Checks of this step whose whole sign-in stopped at another step's stage: they count there. */
  deferred?: number;
}

/**
 * The step a result counts for: its own, unless its precondition failed at a stage another
 * step adds (and that step is judged in this run), whose fault it then is.
 */
export function stepOf(result: CheckResult, steps: readonly number[]): number {
  return result.blame?.precondition && steps.includes(result.blame.step) ? result.blame.step : result.step;
}

/**
 * One verdict rule: a step passes when its own checks pass. Steps are judged in order and
 * the walk stops at the first that fails; a step is never blamed for another step's check,
 * nor for a later stage that stopped the whole sign-in one of its checks needs: a check whose
 * precondition failed counts for the step of the stage that stopped the chain, after that
 * step's own checks.
 */
export function judge(results: CheckResult[], steps: readonly number[]): StepVerdict[] {
  let stopped = false;
  return steps.map((step) => {
    const counted = results.filter((result) => stepOf(result, steps) === step);
    const own = counted.filter((result) => result.step === step);
    const blamed = counted.filter((result) => result.step !== step);
    const failed = [...own, ...blamed].filter((result) => !result.ok);
    const ownFailed = own.filter((result) => !result.ok).length;
    const deferred = results.filter((result) => result.step === step && stepOf(result, steps) !== step).length;
    if (stopped) return { step, ok: null, failed: 0, total: own.length };
    if (failed.length > 0) stopped = true;
    return {
      step,
      ok: failed.length === 0,
      ...(failed[0] ? { failure: failed[0] } : {}),
      failed: ownFailed,
      total: own.length,
      ...(blamed.length > 0 ? { blamed: blamed.length } : {}),
      ...(deferred > 0 ? { deferred } : {}),
    };
  });
}
