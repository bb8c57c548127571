// What a stopping server must close besides itself: its connections to Redis and to the
// database. Each store registers here when it opens them; kit/serve.ts closes them all at stop.

type Close = () => Promise<void>;

const open = new Set<Close>();

/** Registers `close` for the stop; returns it, run at most once, and no longer registered. */
export function closeAtStop(close: Close): Close {
  let closing: Promise<void> | null = null;
  const once: Close = () => {
    open.delete(once);
    closing ??= close();
    return closing;
  };
  open.add(once);
  return once;
}

/** Closes everything registered (each failure logged, none stopping the others). */
export async function closeAll(): Promise<void> {
  await Promise.all(
    [...open].map((close) =>
      close().catch((err: unknown) => console.error(`[gconnect] closing a connection failed: ${err instanceof Error ? err.message : err}`)),
    ),
  );
}

/**
 * Runs `make` (an app's createApp: its stores register here as they open) and gives back, with
 * its result, a close for what it opened, and only that: an app among several in one process
 * (the checker's servers, the attack lab's replicas) is closed alone, the others left open.
 */
export function closesOf<T>(make: () => T): { value: T; close: Close } {
  const before = new Set(open);
  const value = make();
  const own = [...open].filter((close) => !before.has(close));
  return { value, close: async () => void (await Promise.all(own.map((close) => close()))) };
}
