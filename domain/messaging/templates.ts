// Renders a retention e-mail (subject, plain text, responsive HTML) in the member's language and the program's
// branding, with their name, tier, points, points to the next tier, expiring points, the offer and its code.
// Numbers, money and dates are formatted with Intl for the member's locale; every interpolated value is
// HTML-escaped (fill-layout.ts), so a name like "<script>" is inert.
import type { ChosenOffer } from "../offers/offer-choice";
import type { Offer } from "../offers/offer-schema";
import type { Branding } from "../program/branding-schema";
import type { Reward } from "../program/frequency-schema";
import type { Trigger } from "../retention/triggers";
import type { IsoDay } from "../time";
import { type EmailContent, emailHtml, emailText } from "./email-body";
import { type Language, type Values, WORDING, type Wording } from "./template-strings";
import { oneClickUrl } from "./unsubscribe";

export { escapeHtml } from "./html-escape";

export interface MessageInput {
  trigger: Pick<Trigger, "kind" | "details">;
  /** BCP 47 locale of the member, e.g. "de-AT"; unsupported languages fall back to English. */
  locale?: string;
  programName: string;
  currency: string;
  /** 100 for EUR, 1 for JPY. */
  minorUnitsPerMajor: number;
  member: {
    firstName?: string;
    tierName: string;
    points: number;
    nextTier?: { name: string; pointsToGo: number };
    expiring?: { points: number; expiresOn: IsoDay };
  };
  /** Display name of the tier in a tier warning (defaults to the member's tier). */
  warnedTierName?: string;
  milestoneName?: string;
  /** Name of the catalogue reward a reward offer unlocks (offerRewardName); its id when absent. */
  rewardName?: string;
  /** The offer, with the member's own code and last valid day once an offer instance was issued. */
  offer?: ChosenOffer & { code?: string; validUntil?: IsoDay };
  /** One-click (RFC 8058) https URL for this member. */
  unsubscribeUrl: string;
  branding: Branding;
}

/**
 * What the marketer should fix before sending: no postal address (US bulk-sender rules require one in every
 * commercial e-mail), or no shop URL (the e-mail then has no call-to-action button).
 */
export const EMAIL_WARNINGS = ["postal-address-missing", "shop-url-missing"] as const;
export type EmailWarning = (typeof EMAIL_WARNINGS)[number];

export interface RenderedMessage {
  language: Language;
  subject: string;
  text: string;
  html: string;
  warnings: EmailWarning[];
}

export function languageOf(locale: string | undefined): Language {
  return locale?.toLowerCase().split(/[-_]/)[0] === "de" ? "de" : "en";
}

export function renderMessage(input: MessageInput): RenderedMessage {
  const language = languageOf(input.locale);
  const words = WORDING[language];
  const format = formatters(formattingLocale(input.locale, language), input);
  const { number, date } = format;
  const url = oneClickUrl(input.unsubscribeUrl);
  const details = input.trigger.details;
  const { member } = input;
  const values = triggerValues(input, format);

  const subject = words.subject(details, values);
  const body = words.body(details, values);
  const { branding } = input;
  const content: EmailContent = {
    language,
    subject,
    preheader: body,
    brandName: branding.displayName || input.programName,
    ...(branding.logoUrl && { logoUrl: branding.logoUrl }),
    greeting: words.greeting(member.firstName),
    body,
    ...(input.offer && {
      offer: {
        label: words.offerLabel,
        description: describeOffer(input.offer, input.rewardName, { wording: words.offer, format }),
        codeLabel: words.codeLabel,
        ...(input.offer.code && { code: input.offer.code }),
        ...(input.offer.validUntil && { validUntil: words.validUntil(date(input.offer.validUntil)) }),
      },
    }),
    ...(branding.shopUrl && { cta: { label: words.cta(details), url: branding.shopUrl } }),
    status: {
      current: words.status(member.tierName, number.format(member.points)),
      ...(member.nextTier && {
        nextTier: words.toNextTier(number.format(member.nextTier.pointsToGo), member.nextTier.name),
      }),
      ...(member.expiring && {
        expiring: words.expiring(number.format(member.expiring.points), date(member.expiring.expiresOn)),
      }),
    },
    footer: {
      why: words.footer(input.programName),
      postalAddress: branding.postalAddress
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
      ...(branding.supportContact && { support: supportLink(branding.supportContact, words) }),
      unsubscribe: { label: words.unsubscribe, url },
    },
    colours: { primary: branding.primaryColor, background: branding.backgroundColor },
  };
  const warnings: EmailWarning[] = [];
  if (content.footer.postalAddress.length === 0) warnings.push("postal-address-missing");
  if (!content.cta) warnings.push("shop-url-missing");
  return { language, subject, text: emailText(content), html: emailHtml(content), warnings };
}

function supportLink(contact: string, words: Wording): NonNullable<EmailContent["footer"]["support"]> {
  const href = contact.startsWith("https://") ? contact : `mailto:${contact}`;
  return { label: words.supportLabel, text: contact, href };
}

interface Formatters {
  number: Intl.NumberFormat;
  date: (day: IsoDay) => string;
  money: (minor: number) => string;
}

function formatters(locale: string, input: MessageInput): Formatters {
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
  const money = new Intl.NumberFormat(locale, { style: "currency", currency: input.currency });
  return {
    number: new Intl.NumberFormat(locale),
    date: (day) => dates.format(Date.parse(`${day}T00:00:00Z`)),
    money: (minor) => money.format(minor / input.minorUnitsPerMajor),
  };
}

/** The trigger's facts as the wording mentions them. */
function triggerValues(input: MessageInput, { number, date, money }: Formatters): Values {
  const details = input.trigger.details;
  const values: Values = {
    program: input.programName,
    tier: input.warnedTierName ?? input.member.tierName,
    points: "",
    date: "",
    amount: "",
    milestone: input.milestoneName ?? "",
    step: details.family === "win-back" ? details.step : 0,
    of: details.family === "win-back" ? details.of : 0,
  };
  if (details.family === "points-expiring") {
    values.points = number.format(details.points);
    values.date = date(details.expiresOn);
  }
  if (details.family === "tier-downgrade-warning") {
    values.date = date(details.keepsUntil);
    values.amount =
      details.metric === "spendMinor" ? money(details.shortfall) : number.format(details.shortfall);
  }
  if (details.family === "milestone" && !input.milestoneName) values.milestone = details.milestoneId;
  return values;
}

function describeOffer(
  chosen: ChosenOffer,
  rewardName: string | undefined,
  { wording, format: { number, money } }: { wording: Wording["offer"]; format: Formatters },
): string {
  const { kind, value, rewardId } = chosen.offer;
  if (kind === "percent-off") return wording[kind](number.format(value));
  if (kind === "amount-off") return wording[kind](money(value));
  if (kind === "reward") {
    const name = rewardName ?? rewardId ?? "";
    return wording[kind](value > 1 ? `${number.format(value)} × ${name}` : name);
  }
  return wording[kind](number.format(value));
}

/** The name a message gives the catalogue reward of a reward offer (program.rewards), if it is one. */
export function offerRewardName(
  rewards: readonly Pick<Reward, "rewardId" | "name">[],
  offer: Pick<Offer, "rewardId"> | undefined,
): string | undefined {
  return offer?.rewardId === undefined ? undefined : rewards.find((r) => r.rewardId === offer.rewardId)?.name;
}

/** The member's own locale when Intl supports it (e.g. de-AT number style), else the message language. */
function formattingLocale(locale: string | undefined, language: Language): string {
  if (!locale) return language;
  try {
    const supported = Intl.NumberFormat.supportedLocalesOf([locale]);
    return supported[0] && languageOf(supported[0]) === language ? supported[0] : language;
  } catch {
    return language;
  }
}
