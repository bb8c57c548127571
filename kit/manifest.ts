// What a step is, said in one place: manifest.json at the kit's root lists the steps in order
// (folder, title, gist, summary, the files each adds and changes), and this reader adds what
// follows from a step's folder name by the kit's one convention: its chapter
// (tutorial/NN-name.md), its hints (hints/NN-name.md), its suite (checker/suites/NN-name.ts),
// and the fixture codes it brings in (each scenario file names its step). The attacks a step's
// defence stops (attacks/NAME.ts, `npm run attack`) are listed beside it. Everything that
// needs a step's number, folder, chapter, hints or suite asks here.
//
// The manifest is one root file rather than a step.json in each folder so that a step folder
// holds its server and nothing else: "a file a step does not change is the previous step's,
// byte for byte" then has no exception, and a learner's copy of a step is the folder as it is.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFixtures } from '#fake-google/fixtures.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const STEPS_DIR = join(ROOT, 'steps');
export const MANIFEST_FILE = join(ROOT, 'manifest.json');

/** How a child `node` is told to run the kit's TypeScript: `node ...TS_NODE_ARGS file.ts`. */
export const TS_NODE_ARGS = ['--import', new URL('./typescript.mjs', import.meta.url).href];

/** A folder name a step may have: two digits, a dash, lowercase letters, digits and dashes. */
export const STEP_FOLDER = /^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** One step as manifest.json says it. */
export interface ManifestEntry {
  /** The folder under steps/, e.g. "01-state-check"; its two digits are the step's number. */
  folder: string;
  title: string;
  /** A few words on what the step adds: the README's table and the tutorial's index show it. */
  gist: string;
  /** One or two sentences: `npm run step` and the check's "Next:" print it. */
  summary: string;
  /** Files this step adds, relative to its folder. */
  adds: string[];
  /** Files of the previous step this step changes. */
  changes: string[];
  /** The attacks this step's defence stops: each is attacks/NAME.ts (`npm run attack NAME`). */
  attacks?: string[];
}

export interface Manifest {
  steps: ManifestEntry[];
}

export interface StepInfo {
  number: number;
  /** The folder's name, e.g. "01-state-check". */
  name: string;
  dir: string;
  title: string;
  gist: string;
  summary: string;
  /** Files this step adds, relative to its folder. */
  adds: string[];
  /** Files of the previous step this step changes. */
  changes: string[];
  /** Paths relative to the kit: the chapter that teaches the step, its hints, its suite. */
  chapter: string;
  hints: string;
  suite: string;
  /** The fixture codes this step brings in (fixtures/scenarios/*.json whose "step" is this one). */
  fixtures: string[];
  /** The attacks this step's defence stops, by name (attacks/NAME.ts); from this step on, each must fail. */
  attacks: string[];
}

export function readManifest(): Manifest {
  return JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as Manifest;
}

/** The manifest as `npm run new-step` writes it back: two-space JSON, as it is committed. */
export function formatManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Where a step's parts are, by the kit's one convention: named after its folder. */
export function stepPaths(folder: string): Pick<StepInfo, 'dir' | 'chapter' | 'hints' | 'suite'> {
  return {
    dir: join(STEPS_DIR, folder),
    chapter: `tutorial/${folder}.md`,
    hints: `hints/${folder}.md`,
    suite: `checker/suites/${folder}.ts`,
  };
}

function stepOf(entry: ManifestEntry, codes: Map<number, string[]>): StepInfo {
  const number = Number.parseInt(entry.folder, 10);
  return {
    number,
    name: entry.folder,
    title: entry.title,
    gist: entry.gist,
    summary: entry.summary,
    adds: entry.adds,
    changes: entry.changes,
    ...stepPaths(entry.folder),
    fixtures: codes.get(number) ?? [],
    attacks: entry.attacks ?? [],
  };
}

/** Where an attack's module is, by the kit's convention: attacks/NAME.ts, relative to the kit. */
export function attackFile(name: string): string {
  return `attacks/${name}.ts`;
}

let codesRead: Map<number, string[]> | undefined;

/**
 * Fixture codes by the step that brings them in, in the order the lists show them. Read once a
 * process: listSteps() is asked often (readStep, the runner, the report), and no command
 * changes fixtures while it runs.
 */
function codesByStep(): Map<number, string[]> {
  if (codesRead) return codesRead;
  const codes = new Map<number, string[]>();
  for (const scenario of loadFixtures().scenarios.values()) codes.set(scenario.step, [...(codes.get(scenario.step) ?? []), scenario.code]);
  codesRead = codes;
  return codes;
}

/** The steps, in the manifest's order (which is their numbers' order: test/kit.test.ts holds it). */
export function listSteps(): StepInfo[] {
  const codes = codesByStep();
  return readManifest().steps.map((entry) => stepOf(entry, codes));
}

/**
 * The step whose folder is `dir`. A folder the manifest does not list (a learner's) is
 * described by its name alone: nothing added or changed, no chapter, hints or suite.
 */
export function readStep(dir: string): StepInfo {
  const known = listSteps().find((step) => step.dir === dir.replace(/\/$/, ''));
  if (known) return known;
  const name = dir.replace(/\/$/, '').split('/').at(-1) ?? dir;
  return {
    number: Number.parseInt(name, 10),
    name,
    dir,
    title: name,
    gist: '',
    summary: '',
    adds: [],
    changes: [],
    chapter: '',
    hints: '',
    suite: '',
    fixtures: [],
    attacks: [],
  };
}

/** A step folder's files, relative to it and sorted: what a step is made of. Names in `skip` are left out, at every depth. */
export function stepFiles(dir: string, skip: readonly string[] = []): string[] {
  // Node's own recursive walk (20.1+); it goes into the skipped folders too, which in a step
  // or a learner's folder are small or absent.
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => !file.split(sep).some((part) => skip.includes(part)) && statSync(join(dir, file)).isFile())
    .sort();
}

/** Copies some of a step's files (relative names) into `dir`, as they are. */
export function copyStepFiles(step: StepInfo, dir: string, files: readonly string[]): void {
  for (const file of files) {
    const to = join(dir, file);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(step.dir, file), to);
  }
}

/** The files a learner has written after steps 0..step: each step's additions and changes. */
export function copyStepsUpTo(step: StepInfo, dir: string): void {
  for (const s of listSteps().filter((s) => s.number <= step.number)) copyStepFiles(s, dir, [...s.adds, ...s.changes]);
}
