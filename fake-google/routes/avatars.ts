// GET /avatars/NAME.svg: the fixture users' pictures, so that the welcome page works offline.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Router } from '@koa/router';
import { FIXTURES_DIR } from '../fixtures.ts';

export function avatarsRoute(router: Router): void {
  router.get('/avatars/:file', async (ctx) => {
    const file = ctx.params.file ?? '';
    if (!/^[a-z]+\.svg$/.test(file)) return;
    try {
      ctx.body = await readFile(join(FIXTURES_DIR, 'avatars', file));
      ctx.type = 'image/svg+xml';
      ctx.set('cache-control', 'public, max-age=86400');
    } catch {
      // not found: Koa answers 404
    }
  });
}
