import { unmarshall } from "@aws-sdk/util-dynamodb";
import { CHANGED_AT_FIELD } from "../../domain/member/profile-facts";
import { LEDGER_PREFIX, MESSAGE_PREFIX, memberPk, OFFER_PREFIX } from "../adapters/dynamo/keys";
import { NotFoundError } from "../http/http-errors";
import { type HttpApiDeps, programInEffectNow, readMember } from "../http/member-access";
import { memberSummary } from "../http/member-views";

// Everything Patron holds about one member, as one JSON document (GDPR access and portability). Bounded: the
// ledger, the only part that grows without limit, comes in pages of EXPORT_LEDGER_PAGE entries (each a whole
// stored entry, details included) with a cursor for the next; messages and offer codes are capped at
// EXPORT_ITEM_CAP each and say when they were cut. Memory stays at one page however long the history.

export const EXPORT_LEDGER_PAGE = 1000;
export const EXPORT_ITEM_CAP = 1000;

export interface ExportRequest {
  memberId: string;
  now: Date;
  /** The SK the previous ledger page ended at (from a verified cursor). */
  ledgerAfter?: string;
}

/** Each channel's current consent and when it was given or withdrawn (the profile keeps the newest fact). */
function consentFacts(profile: Record<string, unknown> | undefined) {
  const consent = (profile?.consent ?? {}) as Record<string, unknown>;
  const changedAt = (profile?.[CHANGED_AT_FIELD] ?? {}) as Record<string, unknown>;
  return Object.entries(consent)
    .filter((entry): entry is [string, boolean] => typeof entry[1] === "boolean")
    .map(([channel, granted]) => {
      const at = changedAt[`consent.${channel}`];
      return { channel, granted, ...(typeof at === "string" && { changedAt: at }) };
    });
}

export async function exportMember(deps: HttpApiDeps, request: ExportRequest) {
  const { memberId, now } = request;
  const program = await programInEffectNow(deps, now);
  const pk = memberPk(memberId);
  const [{ state, snapshot }, profile, erasure, ledger, messages, offers, identity, link] = await Promise.all(
    [
      readMember(deps, memberId, program, now),
      deps.members.getProfile(memberId),
      deps.privacy.erasureOf(memberId),
      deps.privacy.queryPrefix({
        pk,
        prefix: LEDGER_PREFIX,
        limit: EXPORT_LEDGER_PAGE,
        newestFirst: true,
        ...(request.ledgerAfter !== undefined && { after: request.ledgerAfter }),
      }),
      deps.privacy.memberItems(memberId, MESSAGE_PREFIX, EXPORT_ITEM_CAP),
      deps.privacy.memberItems(memberId, OFFER_PREFIX, EXPORT_ITEM_CAP),
      deps.identityLinks.history(memberId),
      deps.identityLinks.linkOfMember(memberId),
    ],
  );
  if (!snapshot && !profile && !erasure) throw new NotFoundError(`No member ${memberId}`);
  return {
    memberId,
    exportedAt: now.toISOString(),
    ...(erasure && { erasure }),
    profile: profile ?? null,
    consent: consentFacts(profile),
    summary: memberSummary(state, program, now),
    // The whole member state as stored (lots, tier windows, activity, scores, lifecycle), brought up to now.
    state: { ...state },
    ledger: {
      entries: ledger.items.map((item) => unmarshall(item.entry?.M ?? {})),
      pageSize: EXPORT_LEDGER_PAGE,
      lastSk: ledger.lastSk,
    },
    messages,
    offers,
    identity: { ...(link && { link: { ...link } }), history: identity.map((entry) => ({ ...entry })) },
  };
}
