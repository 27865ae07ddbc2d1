/**
 * Patron's event contracts.
 *
 * Strictness: every detail schema is `.strict()`, so unknown fields are rejected, not dropped.
 * Patron is the consumer of inbound events and acts on money and points: silently ignoring a field
 * a producer believes is honoured (a misspelt `discountTotal`, a new "bonus" flag) would corrupt
 * balances without anyone noticing. Forward compatibility comes from versions instead: an additive
 * change ships as a new `schemaVersion`, Patron learns to accept it first, producers switch after.
 * For outbound events strictness guarantees Patron never emits undeclared fields; external
 * consumers of those should still parse leniently. The EventBridge envelope is loose (AWS owns it).
 *
 * Versioning: `schemaVersion` is a literal in each detail and `version` in each definition.
 * Sources: producers use `retail.<channel-or-system>.<name>`, Patron uses `patron` (see sources.ts).
 */
import { detailTypeSlug, type EventDefinition } from "./event-definition";
import { interactionRecordedEvent } from "./inbound/interaction-recorded";
import { memberEnrolledEvent } from "./inbound/member-enrolled";
import { memberUpdatedEvent } from "./inbound/member-updated";
import { purchaseCompletedEvent } from "./inbound/purchase-completed";
import { purchaseRefundedEvent } from "./inbound/purchase-refunded";
import { challengeCompletedEvent } from "./outbound/challenge-completed";
import { memberLapsingEvent } from "./outbound/member-lapsing";
import { memberWonBackEvent } from "./outbound/member-won-back";
import { membersMergedEvent } from "./outbound/members-merged";
import { offerRedeemedEvent } from "./outbound/offer-redeemed";
import { offerSentEvent } from "./outbound/offer-sent";
import { pointsDeductedEvent } from "./outbound/points-deducted";
import { pointsEarnedEvent } from "./outbound/points-earned";
import { pointsExpiredEvent } from "./outbound/points-expired";
import { pointsRedeemedEvent } from "./outbound/points-redeemed";
import { pointsReversedEvent } from "./outbound/points-reversed";
import { referralCompletedEvent } from "./outbound/referral-completed";
import { rewardUnlockedEvent } from "./outbound/reward-unlocked";
import { serviceRecoveryNeededEvent } from "./outbound/service-recovery-needed";
import { tierChangedEvent } from "./outbound/tier-changed";

export { defineEvent, detailTypeSlug, type EventDefinition, type EventDirection } from "./event-definition";

/** Events producers send to Patron, keyed by stable id. */
export const inboundEvents = {
  purchaseCompleted: purchaseCompletedEvent,
  purchaseRefunded: purchaseRefundedEvent,
  memberEnrolled: memberEnrolledEvent,
  memberUpdated: memberUpdatedEvent,
  interactionRecorded: interactionRecordedEvent,
} as const;

/** Events Patron publishes with source `patron`, keyed by stable id. */
export const outboundEvents = {
  pointsEarned: pointsEarnedEvent,
  pointsReversed: pointsReversedEvent,
  pointsRedeemed: pointsRedeemedEvent,
  pointsDeducted: pointsDeductedEvent,
  pointsExpired: pointsExpiredEvent,
  tierChanged: tierChangedEvent,
  rewardUnlocked: rewardUnlockedEvent,
  memberLapsing: memberLapsingEvent,
  offerSent: offerSentEvent,
  offerRedeemed: offerRedeemedEvent,
  memberWonBack: memberWonBackEvent,
  serviceRecoveryNeeded: serviceRecoveryNeededEvent,
  membersMerged: membersMergedEvent,
  challengeCompleted: challengeCompletedEvent,
  referralCompleted: referralCompletedEvent,
} as const;

export const allEvents = { ...inboundEvents, ...outboundEvents } as const;

export type InboundEventId = keyof typeof inboundEvents;
export type OutboundEventId = keyof typeof outboundEvents;
export type EventId = keyof typeof allEvents;

/** Every definition, inbound first, in catalog order. */
export const eventList: ReadonlyArray<EventDefinition> = Object.values(allEvents);

export function findByDetailType(detailType: string): EventDefinition | undefined {
  return eventList.find((definition) => definition.detailType === detailType);
}

/** `events/schemas/<slug>.v<version>.json`, relative to the repository root. */
export function schemaFilePath(definition: EventDefinition): string {
  return `events/schemas/${detailTypeSlug(definition.detailType)}.v${definition.version}.json`;
}

/** `events/samples/v<version>/<slug>.json`, relative to the repository root. */
export function sampleFilePath(definition: EventDefinition): string {
  return `events/samples/v${definition.version}/${detailTypeSlug(definition.detailType)}.json`;
}

/** One row per event for the README table. */
export interface EventTableRow {
  readonly detailType: string;
  readonly direction: "inbound" | "outbound";
  readonly source: string;
  readonly version: string;
  readonly idempotencyKey: string;
  readonly counterpart: string;
  readonly description: string;
}

export const eventTable: ReadonlyArray<EventTableRow> = eventList.map((definition) => ({
  detailType: definition.detailType,
  direction: definition.direction,
  source: definition.source,
  version: definition.version,
  idempotencyKey: definition.idempotencyKeyDescription ?? "-",
  counterpart: definition.counterpart,
  description: definition.description,
}));
