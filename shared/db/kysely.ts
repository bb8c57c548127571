// Kysely, loaded through its CommonJS build. Node 20 runs the kit through tsx, which would
// transform the ~280 files of Kysely's ESM build at every start (1.6-2.3 s measured); the
// CommonJS build loads in 0.3-0.7 s. Types come from the package as usual (import type).
import { createRequire } from 'node:module';

export const kysely = createRequire(import.meta.url)('kysely') as typeof import('kysely');
