import { renderUnsubscribePage, UNSUBSCRIBE_PAGE_STYLE } from "../../domain/messaging/unsubscribe-page";
import {
  htmlPageSchema,
  pageHeadersSchema,
  resubscribeBodySchema,
  unsubscribeBodySchema,
  unsubscribeQuerySchema,
  unsubscribeResultSchema,
} from "./api-schemas";
import { ValidationError } from "./http-errors";
import type { HttpApiDeps } from "./member-access";
import { type ConsentChannel, setConsent } from "./preferences";
import { defineRoute, HtmlPage, type Route } from "./route";
import { verifyUnsubscribeToken } from "./signed-token";

// The List-Unsubscribe URL serves two callers. A mail client POSTs `List-Unsubscribe=One-Click` to it
// (RFC 8058) and gets JSON. A person who clicks the same link in the e-mail's body GETs a page that only
// asks — link scanners fetch every link, so a GET must change nothing — and its button POSTs the token as a
// form; the confirmation's button re-subscribes. No login: the signed token is the proof (these routes have
// no authorizer, infra/http-api.ts PUBLIC_ROUTES), and a token that does not verify gets a page that says
// only that the link does not work.

const CHANNELS: readonly ConsentChannel[] = ["email", "sms", "push"];
const PAGE_STYLES = { styles: [UNSUBSCRIBE_PAGE_STYLE] };
const BROKEN_LINK = "text/html: the link does not work (the page names no reason)";

interface Link {
  memberId: string;
  channel: ConsentChannel;
  token: string;
}

function verifiedLink(deps: HttpApiDeps, token: string | undefined, now: Date): Link | undefined {
  const claim = token ? verifyUnsubscribeToken(deps.signer, token, now) : undefined;
  const channel = CHANNELS.find((c) => c === claim?.channel);
  return claim && channel && token ? { memberId: claim.memberId, channel, token } : undefined;
}

/** The browser's first language, e.g. "de" from "de-DE,de;q=0.9,en;q=0.8". */
const browserLocale = (acceptLanguage: string | undefined) => acceptLanguage?.split(/[,;]/)[0]?.trim();

const brokenLinkPage = (acceptLanguage: string | undefined) =>
  new HtmlPage(renderUnsubscribePage({ kind: "invalid", locale: browserLocale(acceptLanguage) }), {
    status: 400,
    ...PAGE_STYLES,
  });

/** A page about `link` in the member's language (else the browser's), naming the program in effect. */
async function linkPage(
  deps: HttpApiDeps,
  request: {
    kind: "confirm" | "unsubscribed" | "resubscribed";
    link: Link;
    now: Date;
    acceptLanguage?: string;
  },
): Promise<HtmlPage> {
  const { link } = request;
  const [profile, program] = await Promise.all([
    deps.members.getProfile<Record<string, unknown>>(link.memberId),
    deps.programs.inEffectAt(request.now),
  ]);
  const memberLocale = typeof profile?.locale === "string" ? profile.locale : undefined;
  const html = renderUnsubscribePage({
    kind: request.kind,
    locale: memberLocale ?? browserLocale(request.acceptLanguage),
    programName: program?.name,
    channel: link.channel,
    token: link.token,
  });
  return new HtmlPage(html, PAGE_STYLES);
}

export function unsubscribeRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/unsubscribe",
      operationId: "getUnsubscribePage",
      summary: "The page behind the unsubscribe link in an e-mail's body",
      description:
        "Says, in the member's language, what the button will stop; changes nothing (link scanners fetch links). " +
        "The button POSTs the token to /unsubscribe as a form.",
      access: "public",
      query: unsubscribeQuerySchema,
      headers: pageHeadersSchema,
      response: {
        status: 200,
        description: "text/html: the question and one button",
        schema: htmlPageSchema,
        mediaType: "text/html",
      },
      pages: { 400: BROKEN_LINK },
      handle: async ({ query, headers, now }) => {
        const link = verifiedLink(deps, query.token, now);
        const acceptLanguage = headers["accept-language"];
        if (!link) return brokenLinkPage(acceptLanguage);
        return linkPage(deps, { kind: "confirm", link, now, acceptLanguage });
      },
    }),
    defineRoute({
      method: "POST",
      path: "/unsubscribe",
      operationId: "unsubscribe",
      summary: "Unsubscribe: RFC 8058 one-click from a mail client, or the unsubscribe page's button",
      description:
        "The signed token (query, or the form's body) names the member and channel; consent for that channel is " +
        "withdrawn, recorded at the time of the request. With `List-Unsubscribe=One-Click` the answer is JSON; " +
        "otherwise it is a confirmation page with a re-subscribe button.",
      access: "public",
      query: unsubscribeQuerySchema,
      headers: pageHeadersSchema,
      body: unsubscribeBodySchema,
      bodyType: "form",
      response: {
        status: 200,
        description: "Unsubscribed (also when already unsubscribed)",
        schema: unsubscribeResultSchema,
      },
      pages: {
        200: "text/html: the confirmation page, with a re-subscribe button",
        400: BROKEN_LINK,
      },
      handle: async ({ query, headers, body, now }) => {
        const link = verifiedLink(deps, body.token ?? query.token, now);
        const acceptLanguage = headers["accept-language"];
        if (body["List-Unsubscribe"] === "One-Click") {
          if (!link) {
            throw new ValidationError([{ path: "query.token", message: "is not a valid unsubscribe link" }]);
          }
          await setConsent(deps, { memberId: link.memberId, channel: link.channel, given: false, now });
          return { unsubscribed: true as const, channel: link.channel };
        }
        if (!link) return brokenLinkPage(acceptLanguage);
        await setConsent(deps, { memberId: link.memberId, channel: link.channel, given: false, now });
        return linkPage(deps, { kind: "unsubscribed", link, now, acceptLanguage });
      },
    }),
    defineRoute({
      method: "POST",
      path: "/resubscribe",
      operationId: "resubscribe",
      summary: "Re-subscribe from the unsubscribe confirmation page",
      description:
        "The same signed token as the unsubscribe link; consent for its channel is given again, recorded at the " +
        "time of the request.",
      access: "public",
      query: unsubscribeQuerySchema,
      headers: pageHeadersSchema,
      body: resubscribeBodySchema,
      bodyType: "form",
      response: {
        status: 200,
        description: "text/html: subscribed again, with the unsubscribe button",
        schema: htmlPageSchema,
        mediaType: "text/html",
      },
      pages: { 400: BROKEN_LINK },
      handle: async ({ query, headers, body, now }) => {
        const link = verifiedLink(deps, body.token ?? query.token, now);
        const acceptLanguage = headers["accept-language"];
        if (!link) return brokenLinkPage(acceptLanguage);
        await setConsent(deps, { memberId: link.memberId, channel: link.channel, given: true, now });
        return linkPage(deps, { kind: "resubscribed", link, now, acceptLanguage });
      },
    }),
  ];
}
