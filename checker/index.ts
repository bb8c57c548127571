// The kit's harness, as the learner's commands, the maintainers' tools and the kit's own
// tests use it: run the step suites against a folder, and start a kit to look at by hand.
export { Agent, NoAnswer, requestLine, type Reply, type SentRequest } from './agent.ts';
export {
  importApp,
  serveApp,
  serving,
  startKit,
  type Served,
  GOOGLE_TIMEOUT_MS,
  SESSIONS_KEPT,
  SILENT_GOOGLE_TIMEOUT_MS,
  tempDataDir,
  testConfig,
  type Kit,
  type KitOptions,
  type RunningKit,
} from './serve-app.ts';
export type { Replica } from './replicas.ts';
export { normalise } from './normalise.ts';
export {
  CheckTimeout,
  CHECK_TIMEOUT_MS,
  judge,
  planChecks,
  runChecks,
  type CheckPlan,
  type CheckResult,
  type CheckRun,
  type PlannedCheck,
  type RunOptions,
  type StepVerdict,
} from './runner.ts';
export { answerOf, check, loadSuites, placeholder, type Check, type Placeholder, type Suite } from './suite.ts';
export { chromiumMissing, launchChromium, CHROMIUM } from '#kit/chromium.ts';
export { progressOfCopy, removeScratch, scratchCopy } from './scratch.ts';
export { anonymousVisits, openLoginPage, postGconnect, signIn } from './gconnect.ts';
export { cspOf } from './expect.ts';
export { escapeHtml, formToken, page, postForm, postNote, signedIn, tokenIn } from './notes.ts';
