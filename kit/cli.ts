// The kit's commands read their arguments here, one way (node:util parseArgs): an unknown
// option is refused with the usage, and what npm kept for itself is recovered.
//
// One convention for every `npm run` command: `-- --help` (or `-h`) prints the usage and exits
// 0; exit 0 is success, 1 a failing check or a failed run, 2 bad usage (an unknown option or
// word, an unknown step, a missing folder). `npm run X --help` without `--` never reaches the
// kit: npm shows its own help for `npm run` and runs nothing.
//
// `npm run check 3 --dir x` (no `--`) does not pass `--dir x` on: npm takes --dir as its own
// config, sets npm_config_dir=true and passes "x" on as a plain word. So an option npm kept
// is read back from npm_config_*: a flag as is, an option's value from the one word the
// command has no use for. When that is ambiguous, the error says exactly what to type.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface OptionSpec {
  type: 'string' | 'boolean';
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** The whole usage line, e.g. "npm run check [N] [-- --dir PATH] [-- --watch]". */
  usage: string;
  /** How the command is typed before its arguments, e.g. "npm run check". */
  command: string;
  options: O;
  /** Whether a word is one the command takes (a step number, "mine"); default: any. */
  ownWord?: (word: string) => boolean;
}

export type Values<O extends Record<string, OptionSpec>> = { [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean };

export interface Args<O extends Record<string, OptionSpec>> {
  values: Values<O>;
  words: string[];
}

/** Bad usage: the kit's commands print it with their usage line and exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function readArgs<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): Args<O> {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  // The usage lines give each option its own `--` ([-- --dir PATH] [-- --watch]), as a reader
  // takes them one at a time. npm keeps the first `--`; typed as written, the others reach us:
  // separators, not words, and no command takes a word that starts with a dash.
  const args = argv.filter((arg) => arg !== '--');
  try {
    parsed = parseArgs({ args, options: spec.options, allowPositionals: true, strict: true });
  } catch (err) {
    // parseArgs words it as "Unknown option '--nope'. To specify a positional ..."
    throw new UsageError(
      `${String((err as Error).message)
        .split('. ')[0]!
        .replace(/'/g, '')}.`,
    );
  }
  const values: Record<string, string | boolean | undefined> = { ...parsed.values };
  const words = [...parsed.positionals];
  // Only when npm ran us: otherwise npm_config_* are npm's settings, not this command line.
  if (env.npm_lifecycle_event) {
    for (const [name, option] of Object.entries(spec.options)) {
      const kept = env[`npm_config_${name.replace(/-/g, '_')}`];
      if (values[name] !== undefined || kept === undefined || kept === '') continue;
      if (option.type === 'boolean') {
        values[name] = kept === 'true';
      } else if (kept !== 'true') {
        values[name] = kept; // --name=value reaches npm_config_name whole
      } else {
        const spare = words.filter((word) => !(spec.ownWord?.(word) ?? true));
        if (spare.length !== 1) {
          const own = words.filter((word) => spec.ownWord?.(word) ?? true);
          throw new UsageError(
            `npm kept --${name} for itself. Put the options after --: ${[spec.command, '--', ...own, `--${name}`, name.toUpperCase()].join(' ')}`,
          );
        }
        values[name] = spare[0];
        words.splice(words.indexOf(spare[0]!), 1);
      }
    }
  }
  return { values: values as Values<O>, words };
}

/** What every command's --help ends with: the exit codes, the same for every command. */
export const EXIT_CODES = 'Exit codes: 0 success, 1 a failing check or a failed run, 2 bad usage.';

/** Whether the command line asks for help: --help or -h, before any `--` (after it, a word). */
export function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Reads the arguments, or prints the problem and the usage and exits 2. --help or -h, wherever
 * they stand and whatever else was typed, print the usage and exit 0, before any work.
 */
export function argsOrExit<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
): Args<O> {
  if (asksForHelp(argv)) {
    console.log(`Usage: ${spec.usage}\n${EXIT_CODES}`);
    process.exit(0);
  }
  try {
    return readArgs(spec, argv);
  } catch (err) {
    if (err instanceof UsageError) exitWithUsage(err.message, spec.usage);
    throw err;
  }
}

/** Prints a usage error and exits 2, as every kit command does for bad usage. */
export function exitWithUsage(message: string, usage: string): never {
  console.error(message);
  console.error(`Usage: ${usage}`);
  process.exit(2);
}

/**
 * The step a command-line word names (its number: "3"), else bad usage: the steps there are,
 * the usage, exit 2. Every command that takes a step resolves it here.
 */
export function stepOrExit<S extends { number: number }>(word: string, steps: readonly S[], usage: string): S {
  const step = steps.find((candidate) => String(candidate.number) === word);
  if (!step) exitWithUsage(`There is no step ${word}: the steps are ${steps.map((candidate) => candidate.number).join(', ')}.`, usage);
  return step;
}

/** A count option's value (`--runs 5`): a whole number from 1, else `fallback` when not given; else bad usage. */
export function countOrExit(given: string | undefined, fallback: number, option: string, usage: string): number {
  if (given === undefined) return fallback;
  const digits = given.replaceAll('_', '');
  if (!/^[1-9]\d*$/.test(digits)) exitWithUsage(`error: --${option} takes a whole number from 1, not ${JSON.stringify(given)}.`, usage);
  return Number(digits);
}

/**
 * A port to listen on, 0 (any free one) to 65535: from `--port`, else the environment variable
 * `variable`, else `fallback`; otherwise the problem, naming where the value came from, and the
 * usage, exit 2.
 */
export function portOrExit(given: string | undefined, variable: string, fallback: number, usage: string, env = process.env): number {
  const [text, from] = given !== undefined ? [given, '--port'] : env[variable] ? [env[variable], variable] : [String(fallback), ''];
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    exitWithUsage(`error: ${from} takes a port, 0 (any free one) to 65535, not ${JSON.stringify(text)}.`, usage);
  return Number(text);
}

/** A path the user typed, from where they typed it: npm runs scripts in the kit's folder. */
export function fromUserDir(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.INIT_CWD ?? process.cwd(), path);
}
