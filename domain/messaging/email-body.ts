// The e-mail's two bodies from one content: the responsive HTML (the compiled MJML layout, filled) and the
// plain-text part. Every string here is plain text; fillLayout escapes it for HTML.
import { layoutColours } from "./brand-colours";
import { EMAIL_LAYOUT_HTML } from "./email-layout-html";
import { fillLayout } from "./fill-layout";
import type { Language } from "./template-strings";

export interface EmailContent {
  language: Language;
  subject: string;
  /** Inbox preview text after the subject. */
  preheader: string;
  brandName: string;
  logoUrl?: string;
  greeting: string;
  body: string;
  offer?: { label: string; description: string; codeLabel: string; code?: string; validUntil?: string };
  cta?: { label: string; url: string };
  status: { current: string; nextTier?: string; expiring?: string };
  footer: {
    why: string;
    /** Lines of the sender's postal address; empty when the program has none. */
    postalAddress: string[];
    support?: { label: string; text: string; href: string };
    unsubscribe: { label: string; url: string };
  };
  colours: { primary: string; background: string };
}

export function emailHtml(content: EmailContent): string {
  const { offer, cta, status, footer } = content;
  return fillLayout(EMAIL_LAYOUT_HTML, {
    blocks: {
      logo: content.logoUrl !== undefined,
      wordmark: content.logoUrl === undefined,
      offer: offer !== undefined,
      code: offer?.code !== undefined,
      validUntil: offer?.validUntil !== undefined,
      cta: cta !== undefined,
      nextTier: status.nextTier !== undefined,
      expiring: status.expiring !== undefined,
      postalAddress: footer.postalAddress.length > 0,
      support: footer.support !== undefined,
    },
    values: {
      lang: content.language,
      subject: content.subject,
      preheader: content.preheader,
      brandName: content.brandName,
      logoUrl: content.logoUrl ?? "",
      greeting: content.greeting,
      body: content.body,
      offerLabel: offer?.label ?? "",
      offer: offer?.description ?? "",
      codeLabel: offer?.codeLabel ?? "",
      code: offer?.code ?? "",
      validUntil: offer?.validUntil ?? "",
      ctaLabel: cta?.label ?? "",
      ctaUrl: cta?.url ?? "",
      status: status.current,
      nextTier: status.nextTier ?? "",
      expiring: status.expiring ?? "",
      why: footer.why,
      postalAddress: footer.postalAddress.join(", "),
      supportLabel: footer.support?.label ?? "",
      supportText: footer.support?.text ?? "",
      supportHref: footer.support?.href ?? "",
      unsubscribeLabel: footer.unsubscribe.label,
      unsubscribeUrl: footer.unsubscribe.url,
      ...layoutColours(content.colours.primary, content.colours.background),
    },
  });
}

export function emailText(content: EmailContent): string {
  const { offer, cta, status, footer } = content;
  const lines = [content.greeting, "", content.body];
  if (offer) {
    lines.push("", `${offer.label}: ${offer.description}`);
    if (offer.code) lines.push(`${offer.codeLabel}: ${offer.code}`);
    if (offer.validUntil) lines.push(offer.validUntil);
  }
  if (cta) lines.push("", `${cta.label}: ${cta.url}`);
  lines.push("", status.current);
  if (status.nextTier) lines.push(status.nextTier);
  if (status.expiring) lines.push(status.expiring);
  lines.push("", "--", footer.why, ...footer.postalAddress);
  if (footer.support) lines.push(`${footer.support.label} ${footer.support.text}`);
  lines.push(`${footer.unsubscribe.label}: ${footer.unsubscribe.url}`, "");
  return lines.join("\n");
}
