// A suite holds one step's checks. Its behaviour checks hold at that step and at every later
// one (a later step adds, it never breaks an earlier rule); its placeholder check holds only
// where the chain ends at that step (e.g. 200 "State verified." for step 1).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listSteps, ROOT } from '#kit/manifest.ts';
import type { Reply } from './agent.ts';
import { expectJson } from './expect.ts';
import { signIn } from './gconnect.ts';
import type { Kit } from './serve-app.ts';

export interface Check {
  name: string;
  run(kit: Kit): Promise<void>;
}

/** A placeholder check, with the answer it asks for written once, as the README's table shows it. */
export interface Placeholder extends Check {
  /** e.g. `200 "State verified."` */
  answer: string;
}

export interface Suite {
  step: number;
  title: string;
  checks: Check[];
  placeholder?: Placeholder;
  /** What POST /gconnect answers at this step, in words, where no placeholder says it (the last steps). */
  answer?: string;
}

export function check(name: string, run: (kit: Kit) => Promise<void>): Check {
  return { name, run };
}

/**
 * The check that the chain ends at this step: what `send` sends (Alice's sign-in unless told)
 * is answered `status` with the JSON string `message`. Named after its answer unless given a name.
 */
export function placeholder(
  status: number,
  message: string,
  options: { name?: string; send?: (kit: Kit) => Promise<Reply | Reply[]> } = {},
): Placeholder {
  const answer = `${status} ${JSON.stringify(message)}`;
  const send = options.send ?? ((kit: Kit) => signIn(kit.agent(), '4/fixture-alice'));
  return {
    name: options.name ?? `4/fixture-alice: ${answer}`,
    answer,
    run: async (kit) => {
      for (const reply of [await send(kit)].flat()) expectJson(reply, status, message);
    },
  };
}

/** What a step's POST /gconnect answers to Alice's sign-in, for the README's table of steps. */
export function answerOf(suite: Suite): string {
  return suite.placeholder?.answer ?? suite.answer ?? '';
}

/**
 * Each step's suite (the manifest says where: checker/suites/NN-name.ts), in step order. With
 * `steps`, only those steps' suites are loaded: `npm run check 3` needs no suite of steps 4 to 7.
 */
export async function loadSuites(steps?: readonly number[]): Promise<Suite[]> {
  const wanted = listSteps().filter((step) => steps === undefined || steps.includes(step.number));
  return Promise.all(
    wanted.map(async (step) => {
      const file = join(ROOT, step.suite);
      if (!existsSync(file)) throw new Error(`step ${step.number} has no suite: ${step.suite} is missing`);
      const { suite } = (await import(pathToFileURL(file).href)) as { suite: Suite };
      if (suite.step !== step.number) throw new Error(`${step.suite} defines the suite of step ${suite.step}, not ${step.number}`);
      return suite;
    }),
  );
}
