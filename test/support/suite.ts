// A suite holds the tests of one step's stage. It runs against that step's folder and every
// later one; tests that only hold where the chain ends at this step run with `final`.
import { readdirSync } from 'node:fs';
import type { Kit } from './kit.ts';

export interface Suite {
  step: number;
  title: string;
  tests(kit: () => Kit, options: { final: boolean }): void;
}

const SUITES_DIR = new URL('../suites/', import.meta.url);

export async function loadSuites(): Promise<Suite[]> {
  const files = readdirSync(SUITES_DIR).filter((file) => /^\d\d-.*\.ts$/.test(file)).sort();
  const suites: Suite[] = [];
  for (const file of files) suites.push(((await import(new URL(file, SUITES_DIR).href)) as { suite: Suite }).suite);
  return suites;
}
