// Public API of the loyalty domain (analytics lives in ./analytics and is imported from there).

export { allocate, roundPoints } from "./earning/allocate";
export { interactionAward } from "./earning/interaction-points";
export { paidPerLine, purchasePoints } from "./earning/purchase-points";
export * from "./errors";
export type { Channel, InteractionFacts, PurchaseFacts, PurchaseLineFacts, RefundFacts } from "./facts";
export { expirePoints } from "./ledger/expiry";
export type * from "./ledger/ledger-entry";
export { releasePending } from "./ledger/lots";
export {
  type PartnerMovement,
  type PartnerShare,
  partnerMovements,
} from "./ledger/partner-shares";
export {
  type PartnerStatement,
  type PartnerTotals,
  partnerStatement,
  pointsToMinor,
} from "./ledger/partner-statement";
export { planRefund } from "./ledger/refund-plan";
export { type Adjustment, adjustPoints, MANUAL_ADJUSTMENT_RULE_ID } from "./member/adjust-points";
export { applyInteraction } from "./member/apply-interaction";
export { applyPurchase } from "./member/apply-purchase";
export { applyRefund } from "./member/apply-refund";
export { enrolMember, resolveMember, reviewTier, settleMember } from "./member/lifecycle";
export type * from "./member/member-state";
export * from "./member/queries";
export { redeemReward } from "./member/redeem-reward";
export {
  MIGRATION_RULE_ID,
  type MigratedMember,
  type MigrationOutcome,
  type MigrationProblem,
  type MigrationRun,
  migrateMember,
  migrationSourceKey,
} from "./migration/migrate-member";
export type { Promotion } from "./program/earning-schema";
export { exampleProgram, exampleProgramInput } from "./program/example-program";
export type { InteractionRule, Milestone, PunchCard, Reward, Streak } from "./program/frequency-schema";
export {
  type ParseProgramResult,
  type ProgramError,
  parseProgram,
  programJsonSchema,
} from "./program/parse-program";
export { type Partner, partnerIdOfSource } from "./program/partner-schema";
export { type Program, type ProgramInput, programSchema } from "./program/program-schema";
export {
  programInEffect,
  supersededBy,
  upcomingVersions,
  type VersionStatus,
  type VersionTiming,
  versionStatus,
} from "./program/program-timeline";
export { planRewardChange, type RebasedVersion, type RewardChangePlan } from "./program/reward-change";
export type { Tier } from "./program/tier-schema";
export type { TimePolicy } from "./program/time-policy-schema";
export type { TierStatus } from "./tiers/tier-review";
export {
  checkEventTime,
  type EventTimeCheck,
  type EventTimeKind,
  type EventTimeRejection,
  lateArrivalDays,
  MIN_LATE_ARRIVAL_DAYS,
} from "./time-policy";
