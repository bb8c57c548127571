// Stopping the processes a command started (the cluster's instances, the checker's replicas).
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';

/** Sends `signal` to each child still running, and resolves once every one has exited. */
export async function stopChildren(children: readonly ChildProcess[], signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    }),
  );
}
