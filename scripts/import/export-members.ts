import { type AttributeValue, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { type MemberState, type Program, settleMember, spendableBalance } from "../../domain";
import { CHANGED_AT_FIELD } from "../../domain/member/profile-facts";
import { memberIdOfPk, PROFILE_SK, STATE_SK } from "../../functions/adapters/dynamo/keys";
import { decodeState, STATE_ATTRIBUTE } from "../../functions/adapters/dynamo/state-codec";
import { IMPORT_FIELDS } from "../../functions/migration/import-row-schema";

// The members of a Patron table as a migration import file (the format `npm run import` reads): each member
// brought up to `at` the way every use case does (due pending points released, due lots expired, due tier
// reviews run), then written as balance by expiry lot, qualifying months, tier and the day it is kept until,
// punch cards, unlocked rewards and the profile. For moving members between Patron stacks, and for proving the
// import against members the pipeline built. What the format has no field for is not carried: lifetime
// figures, streaks, milestones, redemption counts, retention and analytics state, challenges, referrals.
// A member the format cannot describe faithfully (points still pending, a debt, a partner's points, merged)
// is left out and listed with the reason.

export interface ExportMembersOptions {
  client: DynamoDBClient;
  tableName: string;
  program: Program;
  /** The time the members are exported as of (ISO 8601); the import must run on or before its day's end. */
  at: string;
  /** Only these members (default: every member of the table). */
  memberIds?: ReadonlySet<string>;
}

export interface ExportedMembers {
  /** The import file: CSV with the header of the format, one member a row, ordered by member id. */
  csv: string;
  exported: number;
  /** Members left out, and why (never a personal value). */
  skipped: { memberId: string; reason: string }[];
}

type Item = Record<string, AttributeValue>;
type Profile = Record<string, unknown> & {
  consent?: Record<string, boolean>;
  profile?: { givenName?: string; familyName?: string };
  [CHANGED_AT_FIELD]?: Record<string, string>;
};

/** A CSV cell: quoted when it holds a separator, a quote or a line break. */
const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

function whyNot(state: MemberState): string | undefined {
  if (state.status !== "active") return "merged into another member";
  if (state.points.pending.length > 0)
    return "points still pending (the format has none); export after they clear";
  if (state.points.debt > 0) return "owes points (the format has no debt)";
  if (state.points.lots.some((l) => l.partner !== undefined))
    return "holds a partner's points (the format has no issuer)";
  return undefined;
}

function row(state: MemberState, profile: Profile): Record<(typeof IMPORT_FIELDS)[number], string> {
  const stamps = profile[CHANGED_AT_FIELD] ?? {};
  const consentAt =
    ["consent.email", "consent.sms", "consent.push"]
      .map((path) => stamps[path])
      .filter((at): at is string => at !== undefined)
      .sort()
      .at(-1) ?? state.enrolledAt;
  const { reviewOn, graceUntil } = state.tier;
  const keepsUntil = graceUntil !== undefined && graceUntil > reviewOn ? graceUntil : reviewOn;
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  return {
    member_id: state.memberId,
    email: text(profile.email),
    given_name: text(profile.profile?.givenName),
    family_name: text(profile.profile?.familyName),
    locale: text(profile.locale),
    time_zone: text(profile.timeZone),
    consent_email: String(profile.consent?.email === true),
    consent_sms: String(profile.consent?.sms === true),
    consent_push: String(profile.consent?.push === true),
    consent_at: consentAt,
    enrolled_at: state.enrolledAt,
    balance: String(spendableBalance(state)),
    lots: state.points.lots.map((l) => `${l.points}@${l.expiresOn}`).join(";"),
    qualifying: state.qualifying.map((q) => `${q.month}:${q.statusPoints}:${q.spendMinor}`).join(";"),
    tier: state.tier.tierId,
    tier_keeps_until: keepsUntil,
    punch_cards: state.frequency.punchCards.map((c) => `${c.ruleId}:${c.punches}`).join(";"),
    unlocked_rewards: state.rewards.unlocked.map((r) => `${r.rewardId}:${r.count}`).join(";"),
  };
}

export async function exportMembers(options: ExportMembersOptions): Promise<ExportedMembers> {
  const states = new Map<string, MemberState>();
  const profiles = new Map<string, Profile>();
  let start: Item | undefined;
  do {
    const page = await options.client.send(
      new ScanCommand({
        TableName: options.tableName,
        ConsistentRead: true,
        FilterExpression: "SK IN (:state, :profile)",
        ExpressionAttributeValues: { ":state": { S: STATE_SK }, ":profile": { S: PROFILE_SK } },
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    for (const item of page.Items ?? []) {
      const memberId = memberIdOfPk(item.PK?.S);
      if (memberId === undefined || (options.memberIds && !options.memberIds.has(memberId))) continue;
      if (item.SK?.S === STATE_SK) states.set(memberId, decodeState<MemberState>(item[STATE_ATTRIBUTE]));
      else profiles.set(memberId, unmarshall(item.profile?.M ?? {}) as Profile);
    }
    start = page.LastEvaluatedKey;
  } while (start);

  const lines = [IMPORT_FIELDS.join(",")];
  const skipped: ExportedMembers["skipped"] = [];
  for (const memberId of [...states.keys()].sort()) {
    const state = settleMember(states.get(memberId) as MemberState, options.program, options.at).state;
    const profile = profiles.get(memberId);
    const reason = profile === undefined ? "has no profile (no e-mail address)" : whyNot(state);
    if (reason !== undefined || profile === undefined) {
      skipped.push({ memberId, reason: reason ?? "" });
      continue;
    }
    const fields = row(state, profile);
    lines.push(IMPORT_FIELDS.map((field) => cell(fields[field])).join(","));
  }
  return { csv: `${lines.join("\n")}\n`, exported: lines.length - 1, skipped };
}
