import { TransactionCanceledException, type TransactWriteItem } from "@aws-sdk/client-dynamodb";
import type { LedgerEntry, MemberState, Program } from "../../domain";
import type { ChosenOffer } from "../../domain/offers/offer-choice";
import { issueOffer, type OfferInMessage, type OfferInstance } from "../../domain/offers/offer-instance";
import { publishes } from "../../domain/program/outbound-schema";
import { dueDaysToRead, latestDueDay, shardOf } from "../../domain/retention/due-buckets";
import { utcDay } from "../../domain/time";
import type { EventPublisher, OutboxEvent } from "../adapters/bus/event-publisher";
import type { EventParking } from "../adapters/bus/parked-events";
import type { MemberRepository, MemberSnapshot } from "../adapters/dynamo/member-repository";
import type { Mailer } from "../adapters/ses/mailer";
import type { TokenSigner } from "../http/signed-token";
import { toPublishable } from "../pipeline/mapping";
import type { Logger } from "../shared/logger";
import { deliver } from "./deliver";
import { count, type JobReport, newReport } from "./job-report";
import type { MessageStore } from "./message-store";
import { randomOfferCode } from "./offer-code";
import { type MemberPlan, type MessageClaim, planMember, prepareMember } from "./plan-member";
import { profileView } from "./profile-view";
import { publish } from "./publish-events";
import { lapsingEvents, wonBackEvents } from "./retention-events";
import type { RetentionRunRequest } from "./run-request";
import { sweepOwedMessages } from "./sweep";

// The retention job (see domain/retention/due-buckets.ts for the scheme), run hourly. Per run:
// 1. for every due day not finished yet whose hour has come (catch-up after an outage): Query the day's shards
//    of the due index, BatchGetItem the STATE items, and for each member really due: settle (points expiry,
//    tier review), move the lifecycle on, count conversions, decide and claim at most one e-mail, re-file —
//    ONE TransactWriteItems under the member's version, so a retried or concurrent run cannot apply it twice;
// 2. send the e-mails claimed in step 1, then the owed ones from earlier runs whose time has come (sweep).
// Members of one shard are handled one after another and shards in parallel: the campaign counters are
// sharded the same way, so the job's own transactions never contend for a counter item.

export interface RetentionJobDeps {
  members: MemberRepository;
  messages: MessageStore;
  programs: { inEffectAt(at: Date | string): Promise<Program | undefined> };
  mailer: Mailer;
  publisher: Pick<EventPublisher, "publish">;
  /** Where events the bus refused go, for the outbox publisher to send (parked-events.ts). */
  parking: EventParking;
  signer: TokenSigner;
  /** https base URL of the HTTP API, for the one-click unsubscribe links. */
  publicApiUrl: string;
  logger: Logger;
  /** Shards processed at once (default 4). */
  concurrency?: number;
  /** How long a claimed send is reserved for the run that claimed it (default 15 minutes, the Lambda limit). */
  leaseMs?: number;
  /** Draws a new offer code (default: random, offer-code.ts); injected by tests that need to know it. */
  offerCode?: () => string;
}

const DEFAULT_LEASE_MS = 15 * 60_000;
const MAX_ATTEMPTS = 6;

type Stored = MemberState & Record<string, unknown>;

export async function runRetentionJob(
  deps: RetentionJobDeps,
  now: Date,
  request: RetentionRunRequest = {},
): Promise<JobReport> {
  const program = await deps.programs.inEffectAt(now);
  if (!program) throw new Error(`no program in effect at ${now.toISOString()}`);
  const shards = program.retention.dueBuckets.shards;
  if (shards !== deps.members.dueShards) {
    throw new Error(
      `program retention.dueBuckets.shards (${shards}) differs from the table's due shards (${deps.members.dueShards}); re-bucket the members first`,
    );
  }
  if (request.members) return checkNamedMembers(deps, program, request.members, now);
  const report = newReport();
  // The job runs hourly (infra/function-specs.ts) so deferred e-mails go out when their time comes; a UTC
  // day's due members wait for the first run from DUE_BUCKETS_FROM_HOUR_UTC (latestDueDay).
  const lastDueDay = latestDueDay(now);
  const lastFinished = await deps.messages.lastFinishedDay();
  const days = dueDaysToRead(lastFinished, lastDueDay);
  // A finished day is read again every hour: a service case is filed under the day the next run reads.
  if (days.length === 0 && lastFinished === lastDueDay) days.push(lastDueDay);
  report.days = days;
  let failed = false;
  for (const day of days) {
    const byShard = new Map<number, string[]>();
    for await (const id of deps.members.membersDueOn(day)) {
      report.indexEntriesRead += 1;
      const shard = shardOf(id, shards);
      byShard.set(shard, [...(byShard.get(shard) ?? []), id]);
    }
    const queue = [...byShard.entries()];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [shard, ids] = next;
        const snapshots = await deps.members.getMembers<Stored>(ids);
        report.statesRead += snapshots.size;
        for (const id of ids) {
          try {
            await handleMember(
              deps,
              program,
              report,
              { memberId: id, shard, snapshot: snapshots.get(id) },
              now,
            );
          } catch (error) {
            failed = true;
            report.failed += 1;
            deps.logger.error("retention: member failed", { memberId: id, error: (error as Error).name });
          }
        }
      }
    };
    await Promise.all(Array.from({ length: deps.concurrency ?? 4 }, worker));
  }
  // A failed member keeps its due day; not finishing the day makes the next run read the buckets again.
  if (!failed && days.length > 0) await deps.messages.finishDay(lastDueDay, now.toISOString());
  await sweepOwedMessages(deps, program, report, now);
  return report;
}

/**
 * A run for named members (run-request.ts): each is checked as of `now` whatever day it is filed under, which
 * is safe — only what is due by `now` happens, and the member is filed again under its next check. No due day
 * is read or finished and owed messages wait for the hourly runs, so the schedule is left as it was.
 */
async function checkNamedMembers(
  deps: RetentionJobDeps,
  program: Program,
  memberIds: readonly string[],
  now: Date,
): Promise<JobReport> {
  const report = newReport();
  const shards = program.retention.dueBuckets.shards;
  const snapshots = await deps.members.getMembers<Stored>([...memberIds]);
  report.statesRead += snapshots.size;
  for (const memberId of memberIds) {
    const target = { memberId, shard: shardOf(memberId, shards), snapshot: snapshots.get(memberId) };
    try {
      await handleMember(deps, program, report, { ...target, anyDueDay: true }, now);
    } catch (error) {
      report.failed += 1;
      deps.logger.error("retention: member failed", { memberId, error: (error as Error).name });
    }
  }
  return report;
}

interface MemberTarget {
  memberId: string;
  shard: number;
  snapshot: MemberSnapshot<Stored> | undefined;
  /** Check the member even when filed under a later day (a run for named members). */
  anyDueDay?: boolean;
}

async function handleMember(
  deps: RetentionJobDeps,
  program: Program,
  report: JobReport,
  target: MemberTarget,
  now: Date,
): Promise<void> {
  const today = utcDay(now);
  const { memberId, shard } = target;
  let snapshot = target.snapshot;
  for (let attempt = 1; ; attempt += 1) {
    // A stale index entry (the member bought and was re-filed later) or already handled by another run.
    if (!snapshot || (!target.anyDueDay && snapshot.state.retention.dueOn > today)) {
      if (attempt === 1) report.stale += 1;
      return;
    }
    const prepared = prepareMember(snapshot.state, program, now);
    const profile =
      prepared.triggers.length > 0 ? profileView(await deps.members.getProfile(memberId)) : undefined;
    if (profile) report.profilesRead += 1;
    const plan = planMember(prepared, program, profile, now, deps.leaseMs ?? DEFAULT_LEASE_MS);
    const issued = plan.claim && issueOfferFor(deps, plan.claim, { memberId, program });
    try {
      await deps.messages.transact(
        commitActions(deps, { program, snapshot, plan, issued, memberId, shard, now }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException) || attempt >= MAX_ATTEMPTS) throw error;
      report.conflicts += 1;
      snapshot = await deps.members.getMember<Stored>(memberId);
      continue;
    }
    report.processed += 1;
    report.lapsing += plan.transitions.filter((t) => t.to === "at-risk" || t.to === "lapsed").length;
    report.control += plan.control;
    report.deferred += plan.deferred;
    report.dropped += plan.dropped.length;
    report.expiryEntries += plan.entries.length;
    const events = [
      ...lapsingEvents(
        memberId,
        plan.state.retention,
        plan.transitions,
        program,
        plan.state.scores?.probabilityAlive,
      ),
      ...wonBackEvents(memberId, plan.conversions, program),
      ...(plan.entries.length === 0 ? settledEvents(plan) : []),
    ];
    report.wonBack += events.filter((e) => e.type === "Member Won Back").length;
    if (plan.claim && !plan.claim.sendNow) report.scheduled += 1;
    if (plan.claim?.sendNow && profile) {
      const sent = await deliver(deps, {
        state: plan.state,
        program,
        profile,
        memberId,
        messageKey: plan.claim.trigger.messageKey,
        trigger: plan.claim.trigger,
        ...(plan.claim.offer && { offer: offerInMessage(plan.claim.offer, issued) }),
        attempts: 0,
        now,
      });
      count(report, sent.outcome);
      events.push(...sent.events);
    }
    await publish(deps, program, events, now);
    return;
  }
}

/**
 * The offer instance a claimed message carries: its code is created with the claim, in the same transaction, and
 * dated from when the message is to go out, so one held by quiet hours still gives the member validityDays.
 */
function issueOfferFor(
  deps: RetentionJobDeps,
  claim: MessageClaim,
  context: { memberId: string; program: Program },
): OfferInstance | undefined {
  const { trigger } = claim;
  if (!claim.offer) return undefined;
  return issueOffer({
    chosen: claim.offer,
    code: (deps.offerCode ?? randomOfferCode)(),
    memberId: context.memberId,
    trigger: { kind: trigger.kind, family: trigger.family, messageKey: trigger.messageKey },
    now: new Date(claim.sendsAt),
    config: context.program.retention,
  });
}

const offerInMessage = (offer: ChosenOffer, issued: OfferInstance | undefined): OfferInMessage => ({
  ...offer,
  ...(issued && { code: issued.code, validUntil: issued.validUntil }),
});

interface MemberCommit {
  program: Program;
  snapshot: MemberSnapshot<Stored>;
  plan: MemberPlan;
  issued: OfferInstance | undefined;
  memberId: string;
  shard: number;
  now: Date;
}

function commitActions(deps: RetentionJobDeps, commit: MemberCommit): TransactWriteItem[] {
  const { program, snapshot, plan, issued, memberId, shard, now } = commit;
  const actions: TransactWriteItem[] = [
    deps.members.statePutAction({ memberId, previous: snapshot, nextState: plan.state as Stored }),
    // Expiry entries carry their events to the outbox, exactly as a purchase's would.
    ...deps.members.ledgerPutActions({
      memberId,
      entries: plan.entries,
      outbound:
        plan.entries.length > 0
          ? toPublishable(plan.outbound, plan.entries as LedgerEntry[]).filter((e) =>
              publishes(program, e.type),
            )
          : [],
    }),
  ];
  if (plan.claim) {
    const { trigger, offer, nextAttemptAt } = plan.claim;
    actions.push(
      deps.messages.claimAction({
        memberId,
        messageKey: trigger.messageKey,
        status: plan.claim.sendNow ? "claimed" : "deferred",
        trigger,
        ...(offer && { offerId: offer.offer.id, offer: { ...offerInMessage(offer, issued) } }),
        claimedAt: now.toISOString(),
        nextAttemptAt,
        attempts: 0,
      }),
    );
  }
  if (issued) actions.push(deps.members.issueAction(issued));
  // Expiries of partners' points count on their statements, in the same transaction as the entries.
  actions.push(...deps.members.partnerCounterWrites(memberId, plan.entries));
  for (const [kind, delta] of plan.counters) {
    const action = deps.messages.counterAction(kind, shard, delta);
    if (action) actions.push(action);
  }
  return actions;
}

/** Tier reviews without a points entry have no ledger entry to ride on: published directly. */
function settledEvents(plan: MemberPlan): OutboxEvent[] {
  return toPublishable(plan.outbound, []).map((event, index) => ({
    id: `${String(event.detail.sourceKey)}#${index}`,
    type: event.type,
    detail: event.detail,
  }));
}
