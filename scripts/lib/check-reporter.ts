// A node:test reporter for the check's test child: each test's block, name and outcome,
// with the error itself (the reporter runs in the tests' process, so errors arrive whole).
import { describeError, mark, RESULT } from './check-protocol.ts';

interface TestEvent {
  type: string;
  data: { name: string; nesting: number; details?: { error?: Error & { cause?: unknown } } };
}

export default async function* checkReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  // Names of the enclosing blocks by depth: node reports tests in the order they are defined.
  const path: string[] = [];
  for await (const { type, data } of source) {
    if (type === 'test:start') path[data.nesting] = data.name;
    if ((type === 'test:pass' || type === 'test:fail') && data.nesting === 2) {
      const error = data.details?.error;
      yield mark({
        kind: RESULT,
        block: path[1] ?? '',
        test: data.name,
        ok: type === 'test:pass',
        ...(type === 'test:fail' ? { error: describeError(error?.cause ?? error) } : {}),
      });
    }
  }
}
