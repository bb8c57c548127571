// Mistakes a check cannot see over HTTP, or can see but not place: found in the learner's
// source by a few careful patterns, and shown as warnings with a file and a line: a state
// compared with ===, next() forgotten or not awaited, Math.random() for a secret, a token or a
// secret written to the log.
//
// Patterns, not a syntax tree, on purpose. The kit's TypeScript (7, native) has no JS API to
// parse with; a tree would take a second compiler (typescript@5, some 20 MB, about half a
// second to load on every check) or a parser plus a type stripper Node 20 lacks. No kept
// linter has either rule: ESLint's @typescript-eslint/no-floating-promises sees a next()
// not awaited but needs that same compiler and a typed program, Biome has neither, and
// "a state compared with ===" is this kit's own rule in any linter. The patterns are
// small, tested (test/check.test.ts), and a miss only costs a warning, never a verdict.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '#kit/manifest.ts';
import { sourceFiles } from '#kit/learner.ts';

export interface Warning {
  /** Relative to the kit, e.g. my-gconnect/check-state.ts */
  file: string;
  line: number;
  message: string;
}

/** A chain of property accesses such as ctx.session?.state or given. */
const OPERAND = String.raw`[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*|\[[^\]]*\])*`;
const COMPARISON = new RegExp(String.raw`(?<!typeof\s+)(${OPERAND})\s*(===|!==|==|!=)\s*(${OPERAND})`, 'g');
const LITERALS = new Set(['undefined', 'null', 'true', 'false', 'NaN']);

/** Lines without comments (line comments only: enough for the patterns below). */
function codeLines(text: string): string[] {
  return text.split('\n').map((line) => line.replace(/\/\/.*$/, ''));
}

/** A secret compared with ===: its timing tells an attacker how much of a guess was right. */
function stateComparisons(file: string, lines: string[]): Warning[] {
  // Names that hold a state: anything assigned from `.state` (const given = ctx.query.state).
  const holders = new Set<string>();
  for (const line of lines) {
    // (ctx.state.tokens is Koa's bag of stage results, not the state: `.state` ends the chain.)
    const found = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*[^;]*\.state\b(?!\s*[.?[])/.exec(line);
    if (found) holders.add(found[1]!);
  }
  const isState = (operand: string) =>
    (/state$/i.test(operand.replace(/\?/g, '')) && operand !== 'ctx.state') || holders.has(operand.split(/[.[?]/)[0]!);
  const warnings: Warning[] = [];
  lines.forEach((line, index) => {
    for (const [, left = '', operator, right = ''] of line.matchAll(COMPARISON)) {
      if (LITERALS.has(left) || LITERALS.has(right)) continue;
      if (isState(left) || isState(right)) {
        warnings.push({
          file,
          line: index + 1,
          message: `the state is compared with ${operator}, which stops at the first character that differs: compare secrets in constant time, with timingSafeEqual from node:crypto (as sameToken in state-token.ts does)`,
        });
      }
    }
  });
  return warnings;
}

/** A stage that calls next() without awaiting it, or has a next it never calls. */
function nextCalls(file: string, lines: string[]): Warning[] {
  const warnings: Warning[] = [];
  const text = lines.join('\n');
  lines.forEach((line, index) => {
    if (/(?<!\bawait\s+|\breturn\s+|\.)\bnext\(\)/.test(line)) {
      warnings.push({
        file,
        line: index + 1,
        message: 'next() is called without await: Koa answers before the later stages finish (await next())',
      });
    }
  });
  const takesNext = lines.findIndex((line) =>
    /\(\s*ctx\b[^)]*,\s*next\b[^)]*\)\s*=>|function\s*\w*\s*\(\s*ctx\b[^)]*,\s*next\b/.test(line),
  );
  if (takesNext >= 0 && !/\bnext\(/.test(text)) {
    warnings.push({
      file,
      line: takesNext + 1,
      message: 'this stage takes next but never calls it: when it does not answer, the chain stops here (await next())',
    });
  }
  return warnings;
}

/** A secret made with Math.random(): its generator is not cryptographic, its next values can be worked out. */
function weakRandom(file: string, lines: string[]): Warning[] {
  const warnings: Warning[] = [];
  lines.forEach((line, index) => {
    if (/\bMath\.random\s*\(/.test(line)) {
      warnings.push({
        file,
        line: index + 1,
        message:
          "Math.random() is not a source of secrets: its values can be predicted. A state token (or any secret) comes from node:crypto's randomBytes or randomUUID (as newStateToken in state-token.ts does)",
      });
    }
  });
  return warnings;
}

/** What names a token or a secret: accessToken, id_token, tokens, clientSecret, the state, the session keys... */
const SECRET = /\b(?:access_?token|id_?token|refresh_?token|tokens|credentials|(?:client_?)?secret|session_?keys|state)\b/i;

/**
 * A token or a secret handed to console.*: logs are read by more people than the server's
 * owner, kept longer and shipped elsewhere. (redactTokens() around it makes it safe.)
 */
function loggedSecrets(file: string, lines: string[]): Warning[] {
  const warnings: Warning[] = [];
  lines.forEach((line, index) => {
    const call = /\bconsole\.(?:log|info|warn|error|debug|trace|dir)\s*\((.*)/.exec(line);
    if (!call) return;
    // The call's arguments on this line, without string literals' words ('the state is' is not the state).
    const args = call[1]!.replace(/'[^']*'|"[^"]*"/g, '""').replace(/`[^`$]*`/g, '""');
    const named = SECRET.exec(args.replace(/\bctx\.state\b(?!\s*\.\s*(?:tokens|state)\b)/g, 'ctx'));
    if (!named || /\bredactTokens\s*\(/.test(args)) return;
    warnings.push({
      file,
      line: index + 1,
      message: `${named[0]} is written to the log: a token or a secret must never reach a log (logs are kept, copied and read by others). Log what happened, not the value; or pass it through redactTokens from #shared/errors.ts`,
    });
  });
  return warnings;
}

export function lintFolder(dir: string): Warning[] {
  return sourceFiles(dir).flatMap((name) => {
    const lines = codeLines(readFileSync(join(dir, name), 'utf8'));
    const file = relative(ROOT, join(dir, name));
    return [...stateComparisons(file, lines), ...nextCalls(file, lines), ...weakRandom(file, lines), ...loggedSecrets(file, lines)];
  });
}
