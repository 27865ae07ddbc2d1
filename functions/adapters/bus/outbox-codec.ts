// Compact outbox records. Outbound events travel on the first ledger entry of their commit, and most
// of their fields repeat that entry (member, source key, program version, time; for the entry's own
// points event also its id, reason and rule ids). Storing only what differs keeps a typical ledger
// item under 1 KB — one write unit instead of two — and the publisher restores the rest from the
// entry in the same stream image. A record stored in full decodes to itself.

/** The ledger entry fields an outbound event may inherit. */
export interface CarrierEntry {
  entryId: string;
  memberId: string;
  sourceKey: string;
  programVersion: number | string;
  occurredAt: string;
  reason: string;
  ruleIds: string[];
}

export interface StoredOutbound {
  type: string;
  detail: Record<string, unknown>;
  /** Set when the event describes the carrying entry itself (inherits id, reason, rule ids). */
  carrier?: true;
}

function inherited(entry: CarrierEntry, carrier: boolean): Record<string, unknown> {
  const common = {
    schemaVersion: "1",
    memberId: entry.memberId,
    sourceKey: entry.sourceKey,
    programVersion: String(entry.programVersion),
    occurredAt: entry.occurredAt,
  };
  return carrier
    ? { ...common, ledgerEntryId: entry.entryId, reason: entry.reason, ruleIds: entry.ruleIds }
    : common;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function encodeOutbound(
  events: readonly { type: string; detail: Record<string, unknown> }[],
  entry: CarrierEntry,
): StoredOutbound[] {
  return events.map(({ type, detail }) => {
    const carrier = detail.ledgerEntryId === entry.entryId;
    const base = inherited(entry, carrier);
    const rest = Object.fromEntries(Object.entries(detail).filter(([key, value]) => !same(base[key], value)));
    return carrier ? { type, detail: rest, carrier: true } : { type, detail: rest };
  });
}

export function decodeOutbound(
  stored: StoredOutbound,
  entry: CarrierEntry,
): { type: string; detail: Record<string, unknown> } {
  return { type: stored.type, detail: { ...inherited(entry, stored.carrier === true), ...stored.detail } };
}
