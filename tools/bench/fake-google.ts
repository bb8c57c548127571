// The fake Google in a process of its own, for npm run bench: so that the CPU each process
// spends can be told apart. Prints its origin, then serves until stopped.
import { startFakeGoogle } from '#fake-google/index.ts';

const fake = await startFakeGoogle();
console.log(fake.origin);
process.once('SIGTERM', () => void fake.close().then(() => process.exit(0)));
