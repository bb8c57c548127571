// npm runs a script through `sh -c`, and forwards a SIGTERM sent to npm to that shell only. A
// shell that does not exec its command (dash, Debian's sh, does not) dies of it, and the
// command lives on, orphaned: a server holding its port, a watcher watching. And npm killed
// outright (SIGKILL) leaves its child behind, whatever the shell. So a long-running command
// ends when the process that started it ends. No event says so: the orphan is given another
// parent, so its parent's pid is looked at, twice a second.

/** Calls `then` once the process that started this one has ended; returns a function that stops watching. */
export function whenParentEnds(then: () => void, pollMs = 500): () => void {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    then();
  }, pollMs);
  // Watching alone keeps nothing running.
  watch.unref();
  return () => clearInterval(watch);
}
