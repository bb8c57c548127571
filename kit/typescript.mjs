// Lets `node --import ./kit/typescript.mjs file.ts` run the kit's TypeScript on any Node
// the kit supports. JavaScript, because it runs before any TypeScript can be loaded.
import module from 'node:module';

// V8's compile cache (Node 22.1+): from the second run on, koa, pug and google-auth-library
// load from compiled code instead of being parsed again.
module.enableCompileCache?.();

// Node 22.18+ and 23.6+ strip TypeScript's types themselves (the kit writes only erasable
// TypeScript: tsconfig's erasableSyntaxOnly); older ones run it through tsx's loader.
if (!process.features.typescript) await import('tsx/esm');
