/**
 * The replay's events sent and not yet delivered, at most `limit` of them. Waiting for room is one waiter that
 * the next event to finish resolves: a Promise.race over all of them attached a reaction to each of the 512 on
 * every event sent, all run as each one finished (a tenth of the replay's own CPU in the bench's profile).
 */
export function createUnfinished(limit: number) {
  const events = new Set<Promise<void>>();
  const waiters: Array<() => void> = [];
  return {
    get size(): number {
      return events.size;
    },
    /** `event` must not reject: the replay catches each event's failure itself. */
    add(event: Promise<void>): void {
      events.add(event);
      const finished = () => {
        events.delete(event);
        waiters.shift()?.();
      };
      event.then(finished, finished);
    },
    /** Resolves once fewer than `limit` events are unfinished. */
    async room(): Promise<void> {
      while (events.size >= limit) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    all: (): Promise<unknown> => Promise.all(events),
  };
}
