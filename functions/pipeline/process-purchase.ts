import { applyPurchase, type MemberState, type UseCaseResult } from "../../domain";
import { awaitsQualifyingPurchase } from "../../domain/member/referral";
import type { Inbound } from "./inbound";
import { presentedOfferCodes, purchaseFacts } from "./mapping";
import type { PipelineDeps } from "./ports";
import { eventPayload, type ProcessOutcome, processMemberEvent } from "./process-member-event";

/** The outcome, and for a committed purchase the line categories the program has no rule for (if any). */
export type PurchaseOutcome = ProcessOutcome & { unknownCategories?: string[] };

/** Purchase Completed: earn points (pending during the return window), tiers, frequency rewards. */
export async function processPurchase(
  deps: PipelineDeps,
  event: Inbound<"purchaseCompleted">,
): Promise<PurchaseOutcome> {
  const facts = purchaseFacts(event.detail, event.idempotencyKey, event.envelope.source);
  const codes = presentedOfferCodes(event.detail);
  // Each attempt decides afresh; the last decision is the one committed.
  let decided: UseCaseResult | undefined;
  const outcome = await processMemberEvent(deps, {
    memberId: event.detail.memberId,
    kind: "purchase",
    sourceKey: event.idempotencyKey,
    payload: eventPayload(event.detail),
    occurredAt: event.detail.occurredAt,
    decide: async (state, program, now) => {
      // Read in the same attempt as the member (the one a merged member forwards to, holding its codes): a code
      // another purchase used meanwhile is seen on the retry.
      const instances = codes.length > 0 ? await deps.members.getOffers(state.memberId, codes) : undefined;
      const offerCodes = instances && codes.map((code) => ({ code, instance: instances.get(code) }));
      const sharesReferrerPayment = await sharesPayment(deps, state, facts.paymentKey);
      decided = applyPurchase(
        state,
        program,
        {
          ...facts,
          ...(offerCodes && { offerCodes }),
          ...(sharesReferrerPayment && { sharesReferrerPayment }),
        },
        { now },
      );
      return decided;
    },
  });
  if (outcome.outcome !== "committed") return outcome;
  const unknownCategories = decided && unknownCategoriesOf(decided);
  return { ...outcome, ...(unknownCategories && { unknownCategories }) };
}

/** The line categories of a decided purchase the program has no rule for, if any. */
export function unknownCategoriesOf(decided: UseCaseResult): string[] | undefined {
  const details = decided.entries.find((e) => e.kind === "earn")?.details;
  return details?.type === "purchase" ? details.unknownCategories : undefined;
}

/**
 * Whether a referred member who has not yet made their qualifying purchase pays like their referrer: one more
 * GetItem (the referrer's state), only for such a member paying with a fingerprint.
 */
async function sharesPayment(deps: PipelineDeps, state: MemberState, paymentKey: string | undefined) {
  const referrerId = awaitsQualifyingPurchase(state);
  if (referrerId === undefined || paymentKey === undefined) return false;
  const referrer = await deps.members.getMember<MemberState & Record<string, unknown>>(referrerId);
  return referrer?.state.referral?.paymentKeys?.includes(paymentKey) ?? false;
}
