// Type errors in the learner's folder: tsc with the kit's own strict options, on their folder
// and shared/. Incremental (its build info kept in the folder's .gconnect/), so that a check
// after a small edit costs about a second instead of three.
import { execFile } from 'node:child_process';
import { setPriority } from 'node:os';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../../shared/steps.ts';
import { KIT_FILES } from './learner.ts';

export interface TypeProblem {
  /** Relative to the kit, e.g. my-gconnect/check-state.ts */
  file: string;
  line: number;
  column: number;
  message: string;
}

export function typecheck(dir: string): Promise<TypeProblem[]> {
  const kitFiles = join(dir, KIT_FILES);
  mkdirSync(kitFiles, { recursive: true });
  const tsconfig = join(kitFiles, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    `${JSON.stringify(
      {
        extends: join(ROOT, 'tsconfig.json'),
        compilerOptions: { incremental: true, tsBuildInfoFile: join(kitFiles, 'tsbuildinfo'), typeRoots: [join(ROOT, 'node_modules/@types')] },
        // The files by name: tsc's folder globs skip folders whose names start with a dot.
        files: tsFilesIn(dir),
        include: [join(ROOT, 'shared')],
      },
      null,
      2,
    )}\n`,
  );
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  return new Promise((done) => {
    const child = execFile(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (_err, stdout) => done(parseTsc(stdout)));
    // tsc runs beside the suites; it must not slow the servers under test past their 2.5 s
    // Google timeout when the machine is busy, so it gets the CPU only when they leave it.
    try {
      if (child.pid) setPriority(child.pid, 15);
    } catch {
      // Not allowed here: it runs at the same priority, a little slower.
    }
  });
}

function tsFilesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.startsWith(KIT_FILES) && !file.includes('node_modules'))
    .map((file) => join(dir, file));
}

export function parseTsc(output: string): TypeProblem[] {
  const errors: TypeProblem[] = [];
  for (const line of output.split('\n')) {
    const found = /^(.+)\((\d+),(\d+)\): error TS\d+: (.*)$/.exec(line);
    if (found) errors.push({ file: relative(ROOT, join(ROOT, found[1]!)), line: Number(found[2]), column: Number(found[3]), message: found[4]! });
    else if (line.startsWith(' ') && errors.length > 0) errors.at(-1)!.message += `\n${line}`;
  }
  return errors;
}
