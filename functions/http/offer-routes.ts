import * as z from "zod";
import {
  checkOffer,
  normaliseOfferCode,
  OFFER_REJECTIONS,
  type OfferInstance,
  offerStatus,
} from "../../domain/offers/offer-instance";
import { idSchema, memberIdSchema, minorUnitsSchema } from "../../events/primitives";
import type { HttpApiDeps } from "./member-access";
import { defineRoute, type Route } from "./route";

// POST /offers/validate: the till or web shop asks, before the order is taken, whether a code applies to this
// member's basket now and what it gives. Nothing is consumed: the code is redeemed by the purchase event
// (Purchase Completed.offerCodes) in the purchase's own commit, so a validated code can still lose a race to
// another till, and the purchase then records the rejection and earns as usual.

const validateSchema = z.strictObject({
  memberId: memberIdSchema,
  code: z
    .string()
    .min(1, { error: "code must not be empty" })
    .max(32, { error: "code must be at most 32 characters" })
    .describe("The code as the member gave it (case, spaces and hyphens ignored)"),
  basketTotal: minorUnitsSchema.describe("The basket before this offer, in minor units"),
});

const termsSchema = z.object({
  offerId: z.string(),
  kind: z.enum(["percent-off", "amount-off", "bonus-points", "reward"]),
  value: z.int().describe("Percent, minor units, points or copies of the reward, by kind"),
  rewardId: z.string().optional().describe("The catalogue reward a reward offer unlocks"),
  minSpendMinor: z.int(),
  validUntil: z.string().describe("Last day (UTC) the code may be used"),
});

const answerSchema = z.object({
  valid: z.boolean(),
  reason: z
    .enum(OFFER_REJECTIONS)
    .optional()
    .describe("Why not; `not-found` also for a code of another member (a till learns nothing about it)"),
  offer: termsSchema.optional(),
  benefit: z
    .object({
      discountMinor: z.int().describe("Money off this basket, minor units"),
      points: z.int().describe("Bonus points the purchase will earn"),
      reward: z
        .object({
          rewardId: z.string(),
          name: z.string().optional().describe("Its name in the rewards catalogue in effect"),
          copies: z.int(),
        })
        .optional()
        .describe("The catalogue reward the purchase will unlock (the member uses it later, without points)"),
    })
    .optional(),
});

const instanceSchema = termsSchema.extend({
  code: z.string(),
  status: z.enum(["usable", "redeemed", "expired"]),
  issuedAt: z.string(),
  trigger: z.string().describe("Trigger kind of the message that carried it"),
  redemption: z.object({ orderId: z.string(), redeemedAt: z.string() }).optional(),
});

const offersSchema = z.object({ offers: z.array(instanceSchema) });

const view = (instance: OfferInstance, now: Date) => ({
  code: instance.code,
  offerId: instance.offerId,
  kind: instance.kind,
  value: instance.value,
  ...(instance.rewardId !== undefined && { rewardId: instance.rewardId }),
  minSpendMinor: instance.minSpendMinor,
  validUntil: instance.validUntil,
  status: offerStatus(instance, now),
  issuedAt: instance.issuedAt,
  trigger: instance.trigger,
  ...(instance.redemption && {
    redemption: { orderId: instance.redemption.orderId, redeemedAt: instance.redemption.redeemedAt },
  }),
});

export function offerRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/me/offers",
      operationId: "getMyOffers",
      summary: "My offer codes I can still use",
      access: "member",
      response: { status: 200, description: "Usable offers, newest first", schema: offersSchema },
      handle: async ({ principal, now }) => {
        const offers = await deps.members.listOffers(principal.memberId);
        return { offers: offers.map((o) => view(o, now)).filter((o) => o.status === "usable") };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/members/{id}/offers",
      operationId: "getMemberOffers",
      summary: "A member's offer codes: usable, redeemed (with the order) and expired",
      access: "marketer",
      params: z.object({ id: idSchema("member id") }),
      response: { status: 200, description: "Every stored offer, newest first", schema: offersSchema },
      handle: async ({ params, now }) => ({
        offers: (await deps.members.listOffers(params.id)).map((o) => view(o, now)),
      }),
    }),
    defineRoute({
      method: "POST",
      path: "/offers/validate",
      operationId: "validateOfferCode",
      tag: "offers",
      summary: "Check an offer code for a member's basket, without using it",
      access: "service",
      body: validateSchema,
      response: {
        status: 200,
        description: "Whether the code applies now, and what it gives",
        schema: answerSchema,
      },
      handle: async ({ body, now }) => {
        const code = normaliseOfferCode(body.code);
        const instance = await deps.members.getOffer(body.memberId, code);
        const check = checkOffer(instance, {
          memberId: body.memberId,
          at: now.toISOString(),
          basketMinor: body.basketTotal,
        });
        if (!check.valid) return { valid: false, reason: check.reason };
        const { offerId, kind, value, rewardId, minSpendMinor, validUntil } = check.instance;
        const { reward, ...benefit } = check.benefit;
        // The till shows the reward by name: the catalogue in effect has it.
        const name =
          reward &&
          (await deps.programs.inEffectAt(now))?.rewards.find((r) => r.rewardId === reward.rewardId)?.name;
        return {
          valid: true,
          offer: {
            offerId,
            kind,
            value,
            ...(rewardId !== undefined && { rewardId }),
            minSpendMinor,
            validUntil,
          },
          benefit: {
            ...benefit,
            ...(reward && { reward: { ...reward, ...(name !== undefined && { name }) } }),
          },
        };
      },
    }),
  ];
}
