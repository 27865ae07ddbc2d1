import { useState } from "react";
import { ApiError, unwrap } from "../api/client";
import type { components } from "../api/openapi";
import { useApi } from "../console-context";
import { formatDateTime, formatDay, formatInteger, formatMoney, formatShare } from "../format";
import { useProgramCurrency } from "../use-program-currency";
import { useResource } from "../use-resource";
import { AdjustmentForm } from "./adjustment-form";
import { ChallengesCard } from "./challenges-card";
import { LedgerTable, MessagesTable } from "./member-tables";
import { OfferCodes } from "./offer-codes";
import { PendingAdjustments } from "./pending-adjustments";
import { ProfileCard } from "./profile-card";
import { ReferralCard } from "./referral-card";

// The marketer's 360° view of one member (GET /members/{id}): who they are and what they agreed to, their
// balance, tier, lifecycle stage and scores, the recent ledger with the rules behind each change, the
// retention e-mails and the offer codes they carried, their challenges and referrals, and a manual adjustment
// that refreshes the view once applied (or lists it awaiting a second marketer's approval, when it is over the
// program's threshold).

export type Member360 = components["schemas"]["GetMemberResponse"];

export function MemberView({ memberId }: { memberId: string }) {
  const api = useApi();
  const currency = useProgramCurrency();
  const { resource, reload } = useResource(memberId, async () =>
    unwrap(await api.GET("/members/{id}", { params: { path: { id: memberId } } })),
  );
  // Bumped by a new adjustment, so the list of those awaiting approval is read again.
  const [changes, setChanges] = useState(0);
  if (resource.status === "loading") return <p aria-live="polite">Loading member {memberId}…</p>;
  if (resource.status === "failed") {
    if (resource.error instanceof ApiError && resource.error.problem.status === 404)
      return <p className="notice">No member with the id {memberId}.</p>;
    return (
      <p role="alert">
        Could not load member {memberId}: {resource.error.message}
      </p>
    );
  }
  const member = resource.data;
  return (
    <article aria-labelledby="member-heading" className="member-view">
      <h2 id="member-heading">Member {member.summary.memberId}</h2>
      <p className="muted">
        Enrolled {formatDateTime(member.enrolledAt)} · figures as of {formatDateTime(member.summary.asOf)}{" "}
        (program version {member.summary.programVersion})
      </p>
      <div className="grid">
        <ProfileCard profile={member.profile} />
        <BalanceCard member={member} />
        <TierCard tier={member.summary.tier} currency={currency} />
        <LifecycleCard member={member} currency={currency} />
      </div>
      <LifetimeCard member={member} currency={currency} />
      <ChallengesCard summary={member.summary} />
      <ReferralCard referral={member.referral} />
      <AdjustmentForm
        memberId={member.summary.memberId}
        onApplied={() => {
          reload();
          setChanges((n) => n + 1);
        }}
      />
      <PendingAdjustments memberId={member.summary.memberId} changes={changes} onDecided={reload} />
      <LedgerTable entries={member.recentLedger} currency={currency} />
      <MessagesTable messages={member.messages} />
      <OfferCodes memberId={member.summary.memberId} changes={changes} currency={currency} />
    </article>
  );
}

function BalanceCard({ member }: { member: Member360 }) {
  const { points, expiring, unlockedRewards } = member.summary;
  return (
    <section className="card" aria-labelledby="balance-heading">
      <h3 id="balance-heading">Balance</h3>
      <dl className="facts">
        <dt>Spendable</dt>
        <dd data-testid="spendable">{formatInteger(points.spendable)} points</dd>
        <dt>Pending</dt>
        <dd data-testid="pending">{formatInteger(points.pending)} points</dd>
        <dt>Status points</dt>
        <dd>{formatInteger(points.status)}</dd>
        <dt>Expiring in 30 / 60 / 90 days</dt>
        <dd>
          {formatInteger(expiring.within30Days)} / {formatInteger(expiring.within60Days)} /{" "}
          {formatInteger(expiring.within90Days)}
        </dd>
        <dt>Unlocked rewards</dt>
        <dd>
          {unlockedRewards.length === 0
            ? "None"
            : unlockedRewards.map((r) => `${r.rewardId} × ${r.count}`).join(", ")}
        </dd>
      </dl>
    </section>
  );
}

function TierCard({ tier, currency }: { tier: Member360["summary"]["tier"]; currency: string | undefined }) {
  const { toKeep, nextTier } = tier;
  const amount = (value: number) =>
    toKeep.metric === "qualifyingSpend"
      ? formatMoney(value, currency)
      : `${formatInteger(value)} status points`;
  return (
    <section className="card" aria-labelledby="tier-heading">
      <h3 id="tier-heading">Tier</h3>
      <dl className="facts">
        <dt>Tier</dt>
        <dd>
          {tier.tierName} since {formatDay(tier.since)}
          {tier.inGrace && " (in grace)"}
        </dd>
        <dt>Kept until</dt>
        <dd>{formatDay(tier.keepsUntil)}</dd>
        <dt>To keep it</dt>
        <dd>
          {toKeep.required === 0
            ? "Nothing needed"
            : `${amount(toKeep.current)} of ${amount(toKeep.required)}; ${amount(toKeep.remaining)} still needed`}
        </dd>
        <dt>Next tier</dt>
        <dd>
          {nextTier
            ? `${nextTier.tierName}: ${formatInteger(nextTier.remaining)} more of ${formatInteger(nextTier.threshold)}`
            : "Top tier"}
        </dd>
        {tier.perks.length > 0 && (
          <>
            <dt>Perks</dt>
            <dd>{tier.perks.join(", ")}</dd>
          </>
        )}
      </dl>
      <p className="muted">{toKeep.explanation}</p>
    </section>
  );
}

function LifecycleCard({ member, currency }: { member: Member360; currency: string | undefined }) {
  const { lifecycle, scores } = member;
  return (
    <section className="card" aria-labelledby="lifecycle-heading">
      <h3 id="lifecycle-heading">Lifecycle and scores</h3>
      <dl className="facts">
        <dt>Lifecycle stage</dt>
        <dd data-testid="lifecycle-stage">
          {lifecycle.stage} since {formatDay(lifecycle.since)}
        </dd>
        <dt>Next retention check</dt>
        <dd>{formatDay(lifecycle.nextCheckOn)}</dd>
        {scores ? (
          <>
            <dt>Segment</dt>
            <dd>
              {scores.segment} (R{scores.recency} F{scores.frequency} M{scores.monetary})
            </dd>
            <dt>Customer lifetime value</dt>
            <dd>{formatMoney(scores.clvMinor, currency)}</dd>
            <dt>Probability alive</dt>
            <dd>{formatShare(scores.probabilityAlive)}</dd>
            <dt>Expected order value</dt>
            <dd>{formatMoney(scores.expectedOrderValueMinor, currency)}</dd>
            <dt>Scored</dt>
            <dd>
              {formatDay(scores.scoredOn)} ({scores.modelVersion})
            </dd>
          </>
        ) : (
          <>
            <dt>Scores</dt>
            <dd>Not scored yet: the nightly analytics job scores members once they have purchased.</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function LifetimeCard({ member, currency }: { member: Member360; currency: string | undefined }) {
  const { lifetime, favouriteCategory } = member;
  return (
    <section className="card" aria-labelledby="lifetime-heading">
      <h3 id="lifetime-heading">Lifetime</h3>
      <dl className="facts facts-wide">
        <dt>Purchases</dt>
        <dd>{formatInteger(lifetime.purchases)}</dd>
        <dt>Spend</dt>
        <dd>{formatMoney(lifetime.spendMinor, currency)}</dd>
        <dt>Points earned / redeemed / expired</dt>
        <dd>
          {formatInteger(lifetime.pointsEarned)} / {formatInteger(lifetime.pointsRedeemed)} /{" "}
          {formatInteger(lifetime.pointsExpired)}
        </dd>
        <dt>First / last purchase</dt>
        <dd>
          {formatDateTime(lifetime.firstPurchaseAt)} / {formatDateTime(lifetime.lastPurchaseAt)}
        </dd>
        <dt>Favourite category</dt>
        <dd>{favouriteCategory ?? "—"}</dd>
      </dl>
    </section>
  );
}
