import type { MemberState, Program } from "../../domain";
import { endOfQuietHours, quietWindows } from "../../domain/messaging/local-time";
import type { OfferInMessage } from "../../domain/offers/offer-instance";
import type { Trigger } from "../../domain/retention/triggers";
import { utcDay } from "../../domain/time";
import type { OutboxEvent } from "../adapters/bus/event-publisher";
import type { Mailer } from "../adapters/ses/mailer";
import type { TokenSigner } from "../http/signed-token";
import { backoffCeiling } from "../shared/backoff";
import { composeEmail } from "./compose-email";
import type { MessageStore } from "./message-store";
import type { ProfileView } from "./profile-view";
import { offerSentEvent } from "./retention-events";

// One send attempt of a claimed message. The MSG item was claimed in the member's transaction, so no other run
// sends it concurrently: its retry entry is a lease until `nextAttemptAt`. Outcomes:
// - SES accepted it → `sent` (Offer Sent when it carried an offer);
// - throttled or failed → `deferred`, retried with backoff by a later run (never re-claimed, never lost);
// - the member withdrew consent, was suppressed, or it is too late → `dropped`;
// - the program's or the member's own quiet hours started meanwhile → `deferred` to their end.
// Residual risk: SES has no idempotency key. If the process dies after SES accepted the e-mail but before
// `sent` is written, the lease runs out and a later run sends it once more (at most one duplicate per crash).

export type DeliveryOutcome = "sent" | "deferred" | "dropped";

export interface DeliveryDeps {
  messages: MessageStore;
  mailer: Mailer;
  signer: TokenSigner;
  publicApiUrl: string;
}

export interface Delivery {
  state: MemberState;
  program: Program;
  profile: ProfileView;
  memberId: string;
  messageKey: string;
  trigger: Trigger;
  offer?: OfferInMessage;
  /** Attempts already made (0 for the first). */
  attempts: number;
  now: Date;
}

const RETRY_BASE_MS = 5 * 60_000;
const RETRY_MAX_MS = 6 * 3_600_000;

export async function deliver(
  deps: DeliveryDeps,
  delivery: Delivery,
): Promise<{ outcome: DeliveryOutcome; events: OutboxEvent[] }> {
  const { memberId, messageKey, trigger, profile, program, now } = delivery;
  const blocked = !profile.emailConsent
    ? "no-consent"
    : profile.suppressed || profile.bounced || profile.complained
      ? "suppressed"
      : utcDay(now) > trigger.validUntil
        ? "expired"
        : profile.email === undefined
          ? "no-address"
          : undefined;
  if (blocked || profile.email === undefined) {
    await deps.messages.markDropped(memberId, messageKey, blocked ?? "no-address");
    return { outcome: "dropped", events: [] };
  }
  const timeZone = profile.timeZone ?? program.retention.messaging.defaultTimeZone;
  const quiet = quietWindows(program.retention.messaging.quietHours, profile.quietHours);
  const quietEnd = endOfQuietHours(now.getTime(), quiet, timeZone);
  if (quietEnd === undefined) {
    await deps.messages.markDropped(memberId, messageKey, "no-send-window");
    return { outcome: "dropped", events: [] };
  }
  if (quietEnd > now.getTime()) {
    await deps.messages.markDeferred(memberId, messageKey, new Date(quietEnd).toISOString(), "quiet-hours");
    return { outcome: "deferred", events: [] };
  }
  const email = composeEmail({
    state: delivery.state,
    program,
    profile: { ...profile, email: profile.email },
    trigger,
    messageKey,
    ...(delivery.offer && { offer: delivery.offer }),
    signer: deps.signer,
    publicApiUrl: deps.publicApiUrl,
    now,
  });
  const result = await deps.mailer.send(email);
  if (result.status === "sent") {
    const sentAt = now.toISOString();
    await deps.messages.markSent(memberId, messageKey, result.messageId, sentAt);
    const events = delivery.offer
      ? [
          offerSentEvent(
            memberId,
            messageKey,
            trigger.kind,
            delivery.offer.offer.id,
            result.messageId,
            program,
            sentAt,
          ),
        ]
      : [];
    return { outcome: "sent", events };
  }
  if (result.status === "rejected") {
    await deps.messages.markDropped(memberId, messageKey, `rejected: ${result.error}`);
    return { outcome: "dropped", events: [] };
  }
  // The ceiling without jitter: the retry is a due time the next hourly run picks up, not a sleep.
  const backoff = backoffCeiling(delivery.attempts + 1, { baseMs: RETRY_BASE_MS, capMs: RETRY_MAX_MS });
  await deps.messages.markDeferred(
    memberId,
    messageKey,
    new Date(now.getTime() + backoff).toISOString(),
    `ses: ${result.error}`,
  );
  return { outcome: "deferred", events: [] };
}
