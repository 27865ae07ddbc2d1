import type { InboundEventId } from "../../events/catalog";
import type { ParsedInbound } from "../../events/envelope";

/** A validated inbound event of one kind, e.g. `Inbound<"purchaseCompleted">`. */
export type Inbound<Id extends InboundEventId> = Extract<ParsedInbound, { id: Id }>;
