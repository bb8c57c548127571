// A unified diff of two texts, by lines: enough for files of a few hundred lines, without a
// dependency or a `diff` on the PATH (which Windows lacks).

type Op = { kind: ' ' | '-' | '+'; text: string };

function ops(a: string[], b: string[]): Op[] {
  // Longest common subsequence table, from the ends.
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: ' ', text: a[i]! });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push({ kind: '-', text: a[i++]! }); // removals first, as diff -u shows them
    } else out.push({ kind: '+', text: b[j++]! });
  }
  return out;
}

/** Hunks with `context` lines around each change; empty when the texts are the same. */
export function unifiedDiff(before: string, after: string, labels: [string, string], context = 3): string[] {
  const all = ops(before.split('\n'), after.split('\n'));
  const changed = all.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return [];
  const out = [`--- ${labels[0]}`, `+++ ${labels[1]}`];
  let start = 0;
  while (start < changed.length) {
    let end = start;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! <= context * 2) end++;
    const from = Math.max(changed[start]! - context, 0);
    const to = Math.min(changed[end]! + context, all.length - 1);
    const hunk = all.slice(from, to + 1);
    const lineA = all.slice(0, from).filter((op) => op.kind !== '+').length + 1;
    const lineB = all.slice(0, from).filter((op) => op.kind !== '-').length + 1;
    out.push(`@@ -${lineA},${hunk.filter((op) => op.kind !== '+').length} +${lineB},${hunk.filter((op) => op.kind !== '-').length} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.text}`);
    start = end + 1;
  }
  return out;
}
