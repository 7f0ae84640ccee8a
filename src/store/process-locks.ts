import type { Store } from '../core/records.ts';

/**
 * `exclusive` and `alone` of a store that one process serves (memory; the embedded store, whose writes go
 * through that process's queues): a person's turns are already one at a time in the Assistant's queue, so
 * `exclusive` adds nothing, `afterCommit` runs at once; `alone` refuses a second run under a name while one
 * is under way in the process.
 */
export function processLocks(): Pick<Store, 'exclusive' | 'alone' | 'afterCommit'> {
  const running = new Set<string>();
  return {
    exclusive: (_key, fn) => fn(),
    // Every write is on disk once it resolves: nothing to wait for.
    afterCommit: (fn) => void fn().catch(() => undefined),
    async alone(name, fn) {
      if (running.has(name)) return undefined;
      running.add(name);
      try {
        return await fn();
      } finally {
        running.delete(name);
      }
    },
  };
}
