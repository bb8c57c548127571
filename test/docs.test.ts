// Every relative link and image in the README and the tutorial points at a file that exists.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { ROOT } from '#kit/manifest.ts';

const docs = [
  'README.md',
  'CONTRIBUTING.md',
  'fixtures/README.md',
  'tools/README.md',
  ...readdirSync(join(ROOT, 'tutorial'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `tutorial/${f}`),
];

for (const doc of docs) {
  it(`${doc}: relative links and images resolve`, () => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const broken = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1]!.split('#')[0]!)
      .filter((target) => target && !/^[a-z]+:/.test(target))
      .filter((target) => !existsSync(join(ROOT, dirname(doc), decodeURI(target))));
    assert.deepEqual(broken, []);
  });
}
