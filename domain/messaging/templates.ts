// Renders a retention e-mail (subject, plain text, HTML) in the member's language, with their name, tier,
// points, points to the next tier, expiring points and the offer. Numbers, money and dates are formatted with
// Intl for the member's locale; every interpolated value is HTML-escaped, so a name like "<script>" is inert.
import type { ChosenOffer } from "../offers/offer-choice";
import type { Trigger } from "../retention/triggers";
import type { IsoDay } from "../time";
import { type Language, type Values, WORDING } from "./template-strings";
import { oneClickUrl } from "./unsubscribe";

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
  offer?: ChosenOffer;
  /** One-click (RFC 8058) https URL for this member. */
  unsubscribeUrl: string;
}

export interface RenderedMessage {
  language: Language;
  subject: string;
  text: string;
  html: string;
}

export function languageOf(locale: string | undefined): Language {
  return locale?.toLowerCase().split(/[-_]/)[0] === "de" ? "de" : "en";
}

export function renderMessage(input: MessageInput): RenderedMessage {
  const language = languageOf(input.locale);
  const locale = formattingLocale(input.locale, language);
  const words = WORDING[language];
  const number = new Intl.NumberFormat(locale);
  const date = (day: IsoDay) =>
    new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(
      Date.parse(`${day}T00:00:00Z`),
    );
  const money = (minor: number) =>
    new Intl.NumberFormat(locale, { style: "currency", currency: input.currency }).format(
      minor / input.minorUnitsPerMajor,
    );
  const url = oneClickUrl(input.unsubscribeUrl);
  const details = input.trigger.details;
  const { member } = input;

  const values: Values = {
    program: input.programName,
    tier: input.warnedTierName ?? member.tierName,
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

  const status = [words.status(member.tierName, number.format(member.points))];
  if (member.nextTier)
    status.push(words.toNextTier(number.format(member.nextTier.pointsToGo), member.nextTier.name));
  if (member.expiring) {
    status.push(words.expiring(number.format(member.expiring.points), date(member.expiring.expiresOn)));
  }
  const offer = input.offer ? describeOffer(input.offer, words.offer, number, money) : undefined;

  const subject = words.subject(details, values);
  const greeting = words.greeting(member.firstName);
  const body = words.body(details, values);
  const footer = words.footer(input.programName);
  const text = [
    greeting,
    "",
    body,
    ...(offer ? ["", `${words.offerLabel}: ${offer}`] : []),
    "",
    ...status,
    "",
    "--",
    footer,
    `${words.unsubscribe}: ${url}`,
    "",
  ].join("\n");
  const html = [
    "<!doctype html>",
    `<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(body)}</p>`,
    offer ? `<p><strong>${escapeHtml(words.offerLabel)}:</strong> ${escapeHtml(offer)}</p>` : "",
    `<ul>${status.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>`,
    `<p><small>${escapeHtml(footer)} <a href="${escapeHtml(url)}">${escapeHtml(words.unsubscribe)}</a></small></p>`,
    "</body></html>",
  ].join("\n");
  return { language, subject, text, html };
}

function describeOffer(
  chosen: ChosenOffer,
  wording: (typeof WORDING)[Language]["offer"],
  number: Intl.NumberFormat,
  money: (minor: number) => string,
): string {
  const { kind, value } = chosen.offer;
  if (kind === "percent-off") return wording[kind](number.format(value));
  if (kind === "amount-off") return wording[kind](money(value));
  return wording[kind](number.format(value));
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

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}
