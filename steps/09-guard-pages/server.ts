// Runs this folder's app: `npm run step N`, or `npx tsx steps/NN-name/server.ts`.
import { serveStep } from '#kit/serve.ts';

await serveStep(new URL('.', import.meta.url));
