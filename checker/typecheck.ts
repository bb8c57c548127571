// Type errors in the learner's folder: tsc (TypeScript 7, the native compiler: about half a
// second for a folder and shared/) with the kit's own strict options. It runs beside the
// checks; its settings file is kept under the kit's .gconnect/, not in the folder.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '#kit/manifest.ts';
import { kitFilesFor, sourceFiles } from '#kit/learner.ts';

export interface TypeProblem {
  /** Relative to the kit, e.g. my-gconnect/check-state.ts; empty for a problem with no place. */
  file: string;
  line: number;
  column: number;
  message: string;
}

export function typecheck(dir: string): Promise<TypeProblem[]> {
  const kitFiles = kitFilesFor(dir);
  mkdirSync(kitFiles, { recursive: true });
  const tsconfig = join(kitFiles, 'tsconfig.json');
  const settings = {
    extends: join(ROOT, 'tsconfig.json'),
    // Incremental: a check after a small edit re-checks what changed (about 0.1 s less here).
    compilerOptions: {
      typeRoots: [join(ROOT, 'node_modules/@types')],
      incremental: true,
      tsBuildInfoFile: join(kitFiles, 'tsbuildinfo.json'),
    },
    // The files by name: tsc's folder globs skip folders whose names start with a dot.
    files: sourceFiles(dir).map((file) => join(dir, file)),
    include: [join(ROOT, 'shared')],
  };
  writeFileSync(tsconfig, `${JSON.stringify(settings, null, 2)}\n`);
  return tscCommand().then(
    ([command, ...args]) =>
      new Promise((done) => {
        execFile(
          command!,
          [...args, '-p', tsconfig, '--pretty', 'false'],
          { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
          (err, stdout, stderr) => {
            const problems = parseTsc(stdout);
            // A tsc that failed and said nothing we can read (not installed, crashed) is no
            // clean bill of health: the verdict must not be ✔ for a check that never ran.
            if (err && problems.length === 0)
              problems.push({ file: '', line: 0, column: 0, message: `tsc did not run: ${firstLine(stderr || stdout || err.message)}` });
            done(problems);
          },
        );
      }),
  );
}

/**
 * TypeScript 7's native tsc, started directly: its bin/tsc is a Node script that only finds
 * and starts it, a Node start (about 0.15 s here) the check can spare. Falls back to that
 * script if the package ever stops telling where its binary is.
 */
async function tscCommand(): Promise<string[]> {
  try {
    const locate = (await import(pathToFileURL(join(ROOT, 'node_modules/typescript/lib/getExePath.js')).href)) as { default: () => string };
    return [locate.default()];
  } catch {
    return [process.execPath, join(ROOT, 'node_modules/typescript/bin/tsc')];
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

export function parseTsc(output: string): TypeProblem[] {
  const errors: TypeProblem[] = [];
  for (const line of output.split('\n')) {
    const found = /^(.+)\((\d+),(\d+)\): error TS\d+: (.*)$/.exec(line);
    // An error of the project as a whole (a file not found, a bad option) has no place.
    const placeless = /^error TS\d+: (.*)$/.exec(line);
    if (found)
      errors.push({ file: relative(ROOT, join(ROOT, found[1]!)), line: Number(found[2]), column: Number(found[3]), message: found[4]! });
    else if (placeless) errors.push({ file: '', line: 0, column: 0, message: placeless[1]! });
    else if (line.startsWith(' ') && errors.length > 0) errors.at(-1)!.message += `\n${line}`;
  }
  return errors;
}
