import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import type { BusTarget } from "../../../scripts/local/event-bus/delivery-queue";
import {
  createLocalEventBus,
  type LocalEventBus,
  type LocalEventBusOptions,
} from "../../../scripts/local/event-bus/local-event-bus";
import type { BusEvent } from "../../../scripts/local/event-bus/put-events-request";

export const REGION = "eu-west-1";

const openBuses: LocalEventBus[] = [];

/** Starts a bus on a free port; `closeBuses()` in afterEach stops them all. */
export async function startBus(options: Omit<LocalEventBusOptions, "port">): Promise<LocalEventBus> {
  const bus = await createLocalEventBus({ port: 0, ...options });
  openBuses.push(bus);
  return bus;
}

export async function closeBuses(): Promise<void> {
  await Promise.all(openBuses.splice(0).map((bus) => bus.close()));
}

/** The real SDK client, pointed at the local bus with dummy credentials and no SDK-side retries. */
export function sdkClient(bus: LocalEventBus): EventBridgeClient {
  return new EventBridgeClient({
    endpoint: bus.url,
    region: REGION,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
}

export function putEvents(bus: LocalEventBus, entries: PutEventsRequestEntry[]) {
  return sdkClient(bus).send(new PutEventsCommand({ Entries: entries }));
}

export function purchaseEntry(detail: Record<string, unknown> = { orderId: "o-1" }): PutEventsRequestEntry {
  return {
    Source: "retail.pos.store-042",
    DetailType: "Purchase Completed",
    Detail: JSON.stringify(detail),
    EventBusName: "patron",
  };
}

/** A target that records what it receives. */
export function recorder(): { target: BusTarget; events: BusEvent[] } {
  const events: BusEvent[] = [];
  return {
    events,
    target: async (event) => {
      events.push(event);
    },
  };
}

/** A target that blocks until `release()` — to observe in-flight deliveries. */
export function gate(): { target: BusTarget; release: () => void; started: BusEvent[] } {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const started: BusEvent[] = [];
  return {
    started,
    release: () => open(),
    target: async (event) => {
      started.push(event);
      await opened;
    },
  };
}

/** Lets pending timers and I/O callbacks run. */
export const settle = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));
