import type { SimulatedClock } from "../local/clock";
import { type Platform, type PlatformOptions, startPlatform } from "../local/platform";

/**
 * The platform a log is replayed on at full speed (the bench, the import round trip, their tests): free ports,
 * quiet handlers, a brisk outbox, no scheduled jobs, and each event handled at its own time, so how far the
 * queue lags changes nothing and the replay needs no settle until its end.
 */
export function startReplayPlatform(
  clock: SimulatedClock,
  overrides: Partial<Omit<PlatformOptions, "clock">> = {},
): Promise<Platform> {
  return startPlatform({
    ports: { api: 0, bus: 0, ses: 0, dynamodb: 0 },
    clock,
    handlerLogLevel: "SILENT",
    outboxPollIntervalMs: 50,
    jobs: [],
    handleAtEventTime: true,
    ...overrides,
  });
}
