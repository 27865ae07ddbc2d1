import type { MemberState, Program } from "../../domain";
import { expiringWithin, spendableBalance, tierStatus } from "../../domain/member/queries";
import { offerRewardName, renderMessage } from "../../domain/messaging/templates";
import { unsubscribeHeaders } from "../../domain/messaging/unsubscribe";
import type { OfferInMessage } from "../../domain/offers/offer-instance";
import type { Trigger } from "../../domain/retention/triggers";
import { currencyMinorUnits } from "../../events/currencies";
import type { OutgoingEmail } from "../adapters/ses/mailer";
import { tagValue } from "../adapters/ses/mailer";
import { type TokenSigner, unsubscribeUrl } from "../http/signed-token";
import type { ProfileView } from "./profile-view";

// One retention e-mail, ready for SES: personalised content in the member's language, the RFC 8058 one-click
// unsubscribe headers, and tags with the member and message ids so bounces and complaints find their member.

export const TAG_MEMBER = "patron-member";
export const TAG_MESSAGE = "patron-message";
/** The status block mentions points expiring within this many days. */
const EXPIRING_SOON_DAYS = 60;

export interface ComposeInput {
  state: MemberState;
  program: Program;
  profile: ProfileView & { email: string };
  trigger: Trigger;
  messageKey: string;
  offer?: OfferInMessage;
  signer: TokenSigner;
  publicApiUrl: string;
  now: Date;
}

export function composeEmail(input: ComposeInput): OutgoingEmail {
  const { state, program, profile, trigger, now } = input;
  const status = tierStatus(state, program, now);
  const [expiring] = expiringWithin(state, EXPIRING_SOON_DAYS, now).lots.sort((a, b) =>
    a.expiresOn.localeCompare(b.expiresOn),
  );
  const details = trigger.details;
  const warned =
    details.family === "tier-downgrade-warning"
      ? program.tiers.find((t) => t.id === details.tierId)
      : undefined;
  const milestone =
    details.family === "milestone"
      ? program.milestones.find((m) => m.ruleId === details.milestoneId)
      : undefined;
  const rewardName = offerRewardName(program.rewards, input.offer?.offer);
  const url = unsubscribeUrl(input.signer, input.publicApiUrl, {
    memberId: state.memberId,
    channel: "email",
    issuedAt: now.toISOString(),
  });
  const rendered = renderMessage({
    trigger,
    locale: profile.locale ?? program.retention.messaging.defaultLocale,
    programName: program.name,
    currency: program.currency,
    minorUnitsPerMajor: 10 ** currencyMinorUnits(program.currency),
    member: {
      ...(profile.firstName && { firstName: profile.firstName }),
      tierName: status.tierName,
      points: spendableBalance(state),
      ...(status.nextTier && {
        nextTier: { name: status.nextTier.tierName, pointsToGo: status.nextTier.remaining },
      }),
      ...(expiring && { expiring: { points: expiring.points, expiresOn: expiring.expiresOn } }),
    },
    ...(warned && { warnedTierName: warned.name }),
    ...(milestone && { milestoneName: milestone.name }),
    ...(rewardName !== undefined && { rewardName }),
    ...(input.offer && { offer: input.offer }),
    unsubscribeUrl: url,
    branding: program.branding,
  });
  return {
    to: profile.email,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    headers: unsubscribeHeaders(url),
    tags: { [TAG_MEMBER]: tagValue(state.memberId), [TAG_MESSAGE]: tagValue(input.messageKey) },
  };
}
