import { paginateScan } from "@aws-sdk/client-dynamodb";
import type { MemberState } from "../../domain/member/member-state";
import { memberPk, REJECTED_PK_PREFIX, STATE_SK } from "../../functions/adapters/dynamo/keys";
import { decodeState, STATE_ATTRIBUTE } from "../../functions/adapters/dynamo/state-codec";
import { describeSchedule } from "../../infra/function-specs";
import { scheduleOf } from "../local/jobs";
import type { Platform } from "../local/platform";
import { listSentEmails } from "../local/ses-local";
import type { ReplayRun } from "./run-replay";

// The end-of-replay figures, read back from where the platform keeps them: member states in DynamoDB,
// Patron's published events on the bus, e-mails in SES local, and both kinds of rejected events.

export interface ReplaySummary {
  members: number;
  tiers: Record<string, number>;
  pointsLiability: { spendable: number; pending: number; total: number };
  rewardsUnlocked: number;
  challengesCompleted: number;
  /** Members who enrolled with a referral code and were linked, and those whose referral completed. */
  referrals: { linked: number; completed: number };
  emailsSent: number;
  winBacksConverted: number;
  eventsRejected: { byHandlers: number; deadLettered: number; refusedByBus: number; total: number };
}

export async function replaySummary(
  platform: Pick<Platform, "client" | "tableName" | "urls" | "outboundCounts" | "bus">,
  run: Pick<ReplayRun, "failedEntries">,
): Promise<ReplaySummary> {
  const tiers: Record<string, number> = {};
  const liability = { spendable: 0, pending: 0 };
  let members = 0;
  const referrals = { linked: 0, completed: 0 };
  let rejectedByHandlers = 0;
  const pages = paginateScan(
    { client: platform.client },
    {
      TableName: platform.tableName,
      // Members only: other partitions (e.g. the retention job's) keep an SK of STATE too.
      FilterExpression: "(SK = :state AND begins_with(PK, :member)) OR begins_with(PK, :rejected)",
      ExpressionAttributeValues: {
        ":state": { S: STATE_SK },
        ":member": { S: memberPk("") },
        ":rejected": { S: REJECTED_PK_PREFIX },
      },
      ProjectionExpression: "PK, SK, #state",
      ExpressionAttributeNames: { "#state": STATE_ATTRIBUTE },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      if (item.PK?.S?.startsWith(REJECTED_PK_PREFIX)) {
        rejectedByHandlers += 1;
        continue;
      }
      const state = decodeState<MemberState>(item[STATE_ATTRIBUTE]);
      members += 1;
      tiers[state.tier.tierId] = (tiers[state.tier.tierId] ?? 0) + 1;
      liability.spendable += state.points.lots.reduce((sum, lot) => sum + lot.points, 0) - state.points.debt;
      liability.pending += state.points.pending.reduce((sum, lot) => sum + lot.points, 0);
      const link = state.referral?.referredBy;
      if (link) referrals.linked += 1;
      if (link?.status === "completed") referrals.completed += 1;
    }
  }
  const emails = await listSentEmails(platform.urls.ses);
  const outbound = platform.outboundCounts();
  const deadLettered = platform.bus.deadLetters().length;
  return {
    members,
    tiers,
    pointsLiability: { ...liability, total: liability.spendable + liability.pending },
    rewardsUnlocked: outbound["Reward Unlocked"] ?? 0,
    challengesCompleted: outbound["Challenge Completed"] ?? 0,
    referrals,
    emailsSent: emails.length,
    winBacksConverted: outbound["Member Won Back"] ?? 0,
    eventsRejected: {
      byHandlers: rejectedByHandlers,
      deadLettered,
      refusedByBus: run.failedEntries,
      total: rejectedByHandlers + deadLettered + run.failedEntries,
    },
  };
}

const int = (n: number) => n.toLocaleString("en-US");

export function formatSummary(
  summary: ReplaySummary,
  run: Pick<ReplayRun, "sent" | "wallMs" | "jobRuns">,
): string {
  const tierLine = Object.entries(summary.tiers)
    .sort(([, a], [, b]) => b - a)
    .map(
      ([tier, count]) =>
        `${tier} ${int(count)} (${((100 * count) / Math.max(1, summary.members)).toFixed(1)}%)`,
    )
    .join(", ");
  const { eventsRejected: rejected, pointsLiability: points } = summary;
  // Each job with its own schedule: the retention job runs hourly, the analytics job daily.
  const jobs = Object.entries(run.jobRuns).map(([name, { runs, failed }]) => {
    const schedule = describeSchedule(scheduleOf(name));
    return `${name} ${int(runs)} (${failed > 0 ? `${int(failed)} failed; ` : ""}${schedule})`;
  });
  return [
    "",
    "Replay summary",
    `  events sent          ${int(run.sent)} in ${(run.wallMs / 1000).toFixed(1)} s (${int(Math.round(run.sent / (run.wallMs / 1000)))} events/s, until settled${jobs.length > 0 ? ", scheduled jobs included" : ""})`,
    `  members              ${int(summary.members)}`,
    `  tiers                ${tierLine || "-"}`,
    `  points liability     ${int(points.total)} points (${int(points.spendable)} spendable, ${int(points.pending)} pending)`,
    `  rewards unlocked     ${int(summary.rewardsUnlocked)}`,
    `  challenges completed ${int(summary.challengesCompleted)}`,
    `  referrals            ${int(summary.referrals.linked)} linked, ${int(summary.referrals.completed)} completed (both sides rewarded, within the limit)`,
    `  e-mails sent         ${int(summary.emailsSent)}`,
    `  win-backs converted  ${int(summary.winBacksConverted)}`,
    `  events rejected      ${int(rejected.total)} (${int(rejected.byHandlers)} by handlers, ${int(rejected.deadLettered)} dead-lettered, ${int(rejected.refusedByBus)} refused by the bus)`,
    `  scheduled job runs   ${jobs.join(", ") || "- (real clock: jobs run at their times, or npm run job)"}`,
    "",
  ].join("\n");
}
