import { TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import type { LedgerEntry, PurchaseDetails } from "../../../domain";
import { issueOffer, type OfferInstance } from "../../../domain/offers/offer-instance";
import type { Offer } from "../../../domain/offers/offer-schema";
import { readCampaignCounters } from "../../../functions/adapters/dynamo/campaign-counters";
import { type Line, purchase } from "./events";
import type { Harness } from "./harness";

// Offer codes for the pipeline tests: instances stored the way the retention job's claim stores them, purchases
// that carry codes, and what the ledger and the campaign counters say about them afterwards.

export const basket: Line[] = [{ sku: "tee", category: "apparel", quantity: 1, unitPrice: 4000 }];

export const bonusOffer: Offer = {
  id: "bonus-250",
  kind: "bonus-points",
  value: 250,
  minSpendMinor: 0,
  segments: [],
  categories: [],
  triggers: [],
};

/** Stores an instance of `offer` for `memberId`, sent at `sentAt` by a win-back message. */
export async function issue(
  harness: Harness,
  options: { memberId: string; code: string; sentAt: string; offer?: Offer },
): Promise<OfferInstance> {
  const program = await harness.deps.programs.inEffectAt(options.sentAt);
  if (!program) throw new Error("no program");
  const instance = issueOffer({
    chosen: { offer: options.offer ?? bonusOffer, costMinor: 250, budgetMinor: 300 },
    code: options.code,
    memberId: options.memberId,
    trigger: {
      kind: "win-back-step-1",
      family: "win-back",
      messageKey: `win-back-step-1:${options.memberId}`,
    },
    now: new Date(options.sentAt),
    config: program.retention,
  });
  await harness.client.send(
    new TransactWriteItemsCommand({ TransactItems: [harness.repository.issueAction(instance)] }),
  );
  return instance;
}

export function purchaseWithCodes(
  memberId: string,
  orderId: string,
  occurredAt: string,
  offerCodes: string[],
  options: { source?: string; lines?: Line[] } = {},
) {
  const event = purchase(memberId, orderId, occurredAt, options.lines ?? basket);
  return { ...event, source: options.source ?? event.source, detail: { ...event.detail, offerCodes } };
}

/** The offer outcome each purchase of the member recorded, by order id. */
export function offerOutcomes(
  entries: readonly LedgerEntry[],
): Map<string, NonNullable<PurchaseDetails["offers"]>> {
  const outcomes = new Map<string, NonNullable<PurchaseDetails["offers"]>>();
  for (const entry of entries)
    if (entry.details?.type === "purchase" && entry.details.offers)
      outcomes.set(entry.details.orderId, entry.details.offers);
  return outcomes;
}

export async function redeemedCount(harness: Harness, trigger = "win-back-step-1"): Promise<number> {
  const counters = await readCampaignCounters(harness.client, harness.table.tableName);
  return counters[trigger]?.redeemed ?? 0;
}
