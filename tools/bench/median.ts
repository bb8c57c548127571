// The middle of a tool's runs, the one figure its lines report: one helper for bench,
// bench:check and under-load. (Of an even count, the upper of the two middle values: a
// run's figure is one that was measured, never an average of two.)

/** The median of `items` by `key` (the item itself for numbers). */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  if (items.length === 0) throw new RangeError('the median of nothing');
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)]!;
}

export function median(values: readonly number[]): number {
  return medianBy(values, (value) => value);
}
