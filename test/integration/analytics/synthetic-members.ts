import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { enrolMember } from "../../../domain/member/lifecycle";
import type { MemberState } from "../../../domain/member/member-state";
import { exampleProgram } from "../../../domain/program/example-program";
import { memberPk, PROFILE_SK, STATE_SK } from "../../../functions/adapters/dynamo/keys";
import { STATE_ATTRIBUTE, stateAttribute } from "../../../functions/adapters/dynamo/state-codec";

// Members whose purchase histories follow the models the job fits (BG/NBD for when they buy, Gamma-Gamma for
// how much), drawn from a seeded generator so every run sees the same base. Used by the integration tests and
// by the analytics-job benchmark.

const DAY_MS = 86_400_000;

/** Population parameters, weeks and minor units (a base buying ≈ 5 times a year at ≈ 50.00 per order). */
export const SYNTHETIC_PARAMS = { r: 0.8, alpha: 8, a: 0.6, b: 3, p: 6, q: 4, gamma: 2500 };

/** mulberry32: small, fast, seedable; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, 1) by Marsaglia–Tsang, boosted for shape < 1. */
function gamma(random: () => number, shape: number): number {
  if (shape < 1) return gamma(random, shape + 1) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(random);
    const v = (1 + c * z) ** 3;
    if (v > 0 && Math.log(1 - random()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

export interface SyntheticOptions {
  count: number;
  seed: number;
  /** The day the histories end (the job's run day). */
  asOf: Date;
  idPrefix?: string;
  /** Share of members who enrolled but never bought. */
  withoutPurchases?: number;
  /** Share of members carrying `retention.rhythm` (distinct purchase days). */
  withRhythm?: number;
  /** First purchases fall uniformly within this many weeks before `asOf`. */
  cohortWeeks?: number;
}

export function syntheticMembers(options: SyntheticOptions): { memberId: string; state: MemberState }[] {
  const random = seededRandom(options.seed);
  const { r, alpha, a, b, p, q, gamma: scale } = SYNTHETIC_PARAMS;
  const asOfDay = Math.floor(options.asOf.getTime() / DAY_MS);
  const cohortDays = (options.cohortWeeks ?? 104) * 7;
  const members: { memberId: string; state: MemberState }[] = [];
  for (let i = 0; i < options.count; i++) {
    const memberId = `${options.idPrefix ?? "syn"}-${String(i).padStart(7, "0")}`;
    const firstDay = asOfDay - Math.floor(random() * cohortDays);
    const state = enrolMember(memberId, new Date(firstDay * DAY_MS), exampleProgram).state;
    members.push({ memberId, state });
    if (random() < (options.withoutPurchases ?? 0)) continue;
    const rate = gamma(random, r) / alpha; // purchases per week
    const ga = gamma(random, a);
    const dropout = ga / (ga + gamma(random, b));
    const nu = gamma(random, q) / scale;
    const days = [firstDay];
    let week = 0;
    // BG/NBD: alive at the first purchase; after each repeat purchase the member leaves with probability p.
    for (;;) {
      week += -Math.log(1 - random()) / rate;
      const day = firstDay + Math.floor(week * 7);
      if (day > asOfDay) break;
      if (day !== days[days.length - 1]) days.push(day);
      if (random() < dropout) break;
    }
    // One order per purchase day, plus now and then a second order on the same day.
    let orders = 0;
    let spend = 0;
    for (const _day of days) {
      const sameDay = random() < 0.05 ? 2 : 1;
      for (let k = 0; k < sameDay; k++) spend += Math.max(1, Math.round(gamma(random, p) / nu));
      orders += sameDay;
    }
    const last = days[days.length - 1] as number;
    const at = (day: number) => new Date(day * DAY_MS + 12 * 3_600_000).toISOString();
    state.lifetime = {
      ...state.lifetime,
      purchases: orders,
      spendMinor: spend,
      firstPurchaseAt: at(firstDay),
      lastPurchaseAt: at(last),
    };
    if (random() < (options.withRhythm ?? 0.5)) {
      const iso = (day: number) => at(day).slice(0, 10);
      const rhythm = { purchaseDays: days.length, firstDay: iso(firstDay), lastDay: iso(last) };
      state.retention = { ...state.retention, rhythm };
    }
  }
  return members;
}

/** Writes STATE items (version 1) and, for every `profileEvery`-th member, a PROFILE item, 25 per batch. */
export async function seedMembers(
  client: DynamoDBClient,
  tableName: string,
  members: readonly { memberId: string; state: MemberState }[],
  options: { profileEvery?: number; concurrency?: number } = {},
): Promise<void> {
  const requests: WriteRequest[] = [];
  members.forEach(({ memberId, state }, i) => {
    const pk = { S: memberPk(memberId) };
    requests.push({
      PutRequest: {
        Item: {
          PK: pk,
          SK: { S: STATE_SK },
          [STATE_ATTRIBUTE]: stateAttribute(state),
          version: { N: "1" },
          recentKeys: { L: [] },
          updatedAt: { S: state.enrolledAt },
        },
      },
    });
    if (options.profileEvery && i % options.profileEvery === 0) {
      requests.push({ PutRequest: { Item: { PK: pk, SK: { S: PROFILE_SK }, profile: { M: {} } } } });
    }
  });
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      let batch = requests.slice(next, next + 25);
      next += 25;
      while (batch.length > 0) {
        const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }));
        batch = result.UnprocessedItems?.[tableName] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
}
