import type * as z from "zod";
import { redeemReward } from "../../domain/member/redeem-reward";
import type { redemptionSchema } from "./api-schemas";
import { changeMember, type HttpApiDeps } from "./member-access";
import { voucherCode } from "./signed-token";

// POST /me/redemptions with an Idempotency-Key. The ledger entry, the STATE change and the business-key
// record carrying the answer are one transaction keyed on `redemption:<member>:<key>`, so a retry at any
// later time gets the first answer with one GetItem, and the same key for another reward is a 422.

type Redemption = z.input<typeof redemptionSchema>;
type StoredRedemption = Omit<Redemption, "replayed">;

export async function redeem(
  deps: HttpApiDeps,
  memberId: string,
  key: string,
  rewardId: string,
  now: Date,
): Promise<Redemption> {
  const sourceKey = `redemption:${memberId}:${key}`;
  const change = await changeMember<StoredRedemption>(deps, {
    memberId,
    sourceKey,
    request: { rewardId },
    now,
    run: (state, program) => redeemReward(state, program, rewardId, { now, redemptionKey: sourceKey }),
    answer: (result) => {
      const entry = result.entries.find((e) => e.kind === "redeem");
      if (!entry) throw new Error("redeemReward returned no redeem entry");
      return {
        redemptionId: key,
        rewardId,
        voucherCode: voucherCode(deps.signer, sourceKey),
        pointsSpent: -entry.points,
        ledgerEntryId: entry.entryId,
        redeemedAt: entry.occurredAt,
      };
    },
  });
  return { ...change.answer, replayed: change.outcome === "replayed" };
}
