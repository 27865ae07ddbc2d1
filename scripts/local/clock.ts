// The platform's notion of "now": real time for `npm start`, or a simulated clock a replay moves forward
// so that months of purchases (and the scheduled jobs between them) happen in minutes.

export interface PlatformClock {
  readonly mode: "real" | "simulated";
  now(): Date;
}

export interface SimulatedClock extends PlatformClock {
  readonly mode: "simulated";
  /** Moves the clock forward; time never runs backwards (the ledger relies on it). */
  advanceTo(at: Date): void;
}

export const realClock: PlatformClock = { mode: "real", now: () => new Date() };

export function createSimulatedClock(start: Date): SimulatedClock {
  if (Number.isNaN(start.getTime())) throw new Error("the simulated clock needs a valid start date");
  let current = start.getTime();
  return {
    mode: "simulated",
    now: () => new Date(current),
    advanceTo(at) {
      const next = at.getTime();
      if (Number.isNaN(next)) throw new Error("cannot move the simulated clock to an invalid date");
      if (next < current)
        throw new Error(
          `the simulated clock cannot go back from ${new Date(current).toISOString()} to ${at.toISOString()}`,
        );
      current = next;
    },
  };
}
