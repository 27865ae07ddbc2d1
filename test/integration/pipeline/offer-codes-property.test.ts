import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../../domain";
import { utcDay } from "../../../domain/time";
import type { DynamoLocal } from "../../../scripts/local/dynamo-local";
import { dedicatedDynamoLocal } from "../support/dynamo";
import { type Envelope, refund } from "./events";
import { createHarness, type Harness } from "./harness";
import { memberView } from "./member-view";
import { basket, issue, purchaseWithCodes, redeemedCount } from "./offers";

// Under random interleavings of sends, validations, purchases with codes (own, other members', unknown),
// full refunds and redeliveries, delivered a few at a time concurrently: each code is redeemed at most once at
// a time, only by its member, within its validity, and the campaign counter agrees with the ledger.

const NOW = "2025-03-28T12:00:00Z";
const PURCHASED_AT = "2025-03-28T11:00:00Z";
const MEMBERS = ["m-a", "m-b", "m-c"];
/** Six codes, two per member; sent 1, 10 or 40 days ago (the last expired: validity is 30 days). */
const CODES = ["AAAA222222", "AAAA333333", "BBBB222222", "BBBB333333", "CCCC222222", "CCCC333333"];
const ownerOf = (code: string) => `m-${code[0]?.toLowerCase()}`;

type Command =
  | { kind: "send"; code: number; daysAgo: 1 | 10 | 40 }
  | { kind: "validate"; member: number; code: number }
  | { kind: "purchase"; member: number; codes: number[] }
  | { kind: "refund"; purchase: number }
  | { kind: "redeliver"; purchase: number };

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant("send" as const),
    code: fc.nat(CODES.length - 1),
    daysAgo: fc.constantFrom(1 as const, 10 as const, 40 as const),
  }),
  fc.record({ kind: fc.constant("validate" as const), member: fc.nat(2), code: fc.nat(CODES.length) }),
  fc.record({
    kind: fc.constant("purchase" as const),
    member: fc.nat(2),
    // Index CODES.length is a code nobody was sent.
    codes: fc.array(fc.nat(CODES.length), { minLength: 1, maxLength: 2 }),
  }),
  fc.record({ kind: fc.constant("refund" as const), purchase: fc.nat(20) }),
  fc.record({ kind: fc.constant("redeliver" as const), purchase: fc.nat(20) }),
);

const codeAt = (index: number) => CODES[index] ?? "ZZZZ999999";

async function run(harness: Harness, commands: Command[], batch: number): Promise<void> {
  const sent = new Set<string>();
  const purchases: {
    event: Envelope;
    memberId: string;
    orderId: string;
    delivered: boolean;
    refunded: boolean;
  }[] = [];
  for (let i = 0; i < commands.length; i += batch) {
    const work = commands.slice(i, i + batch).map(async (command, j) => {
      switch (command.kind) {
        case "send": {
          const code = codeAt(command.code);
          if (sent.has(code)) return;
          sent.add(code);
          const sentAt = new Date(Date.parse(NOW) - command.daysAgo * 86_400_000).toISOString();
          await issue(harness, { memberId: ownerOf(code), code, sentAt });
          return;
        }
        case "validate":
          // Validation never consumes: it only reads.
          await harness.repository.getOffer(MEMBERS[command.member] as string, codeAt(command.code));
          return;
        case "purchase": {
          const memberId = MEMBERS[command.member] as string;
          const orderId = `o-${i + j}`;
          const event = purchaseWithCodes(memberId, orderId, PURCHASED_AT, command.codes.map(codeAt));
          const record = { event, memberId, orderId, delivered: false, refunded: false };
          purchases.push(record);
          await harness.deliver(event);
          record.delivered = true;
          return;
        }
        case "redeliver": {
          const target = purchases[command.purchase % Math.max(1, purchases.length)];
          if (target?.delivered) await harness.deliver(target.event);
          return;
        }
        case "refund": {
          const target = purchases[command.purchase % Math.max(1, purchases.length)];
          if (!target?.delivered || target.refunded) return;
          target.refunded = true;
          const lines = basket.map((line) => ({ sku: line.sku, quantity: line.quantity }));
          await harness.deliver(
            refund(target.memberId, `r-${target.orderId}`, target.orderId, NOW, { lines }),
          );
        }
      }
    });
    await Promise.all(work);
  }
}

async function ledger(harness: Harness): Promise<LedgerEntry[]> {
  const views = await Promise.all(MEMBERS.map((m) => memberView(harness, m)));
  return views.flatMap((view) => view?.entries ?? []);
}

describe("offer codes under random interleavings (property)", () => {
  let dynamo: DynamoLocal;
  beforeAll(async () => {
    dynamo = await dedicatedDynamoLocal();
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  it("each code is redeemed at most once, only by its member, within validity", {
    timeout: 600_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(commandArbitrary, { minLength: 5, maxLength: 24 }),
        fc.integer({ min: 1, max: 4 }),
        async (commands, batch) => {
          const harness = await createHarness(dynamo.endpoint, { now: NOW });
          try {
            await run(harness, commands, batch);
            const entries = await ledger(harness);
            let active = 0;
            for (const code of CODES) {
              const redemptions = entries.filter(
                (e) =>
                  e.details?.type === "purchase" && e.details.offers?.redeemed.some((r) => r.code === code),
              );
              const restores = entries.filter(
                (e) => e.details?.type === "refund" && e.details.offersRestored?.some((r) => r.code === code),
              );
              const instance = await harness.repository.getOffer(ownerOf(code), code);
              for (const r of redemptions) {
                expect(r.memberId, code).toBe(ownerOf(code));
                expect(instance, code).toBeDefined();
                expect(utcDay(r.occurredAt) <= (instance?.validUntil ?? "")).toBe(true);
                expect(Date.parse(r.occurredAt)).toBeGreaterThanOrEqual(Date.parse(instance?.issuedAt ?? ""));
              }
              const net = redemptions.length - restores.length;
              expect([0, 1], code).toContain(net);
              expect(instance?.redemption !== undefined, code).toBe(net === 1);
              active += net;
            }
            expect(await redeemedCount(harness)).toBe(active);
          } finally {
            await harness.close();
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
