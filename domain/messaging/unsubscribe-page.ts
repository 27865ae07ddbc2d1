// The pages behind the unsubscribe link in an e-mail's body, for a person in a browser: a question with one
// button (following the link changes nothing, as link scanners fetch it too), a confirmation with a way back,
// and an error page that says no more than "this link does not work". Self-contained HTML: one inline style
// sheet and no scripts, images or links, so the page can be served under a CSP that allows nothing else.
import type { ConsentChannel } from "../member/profile-facts";
import { escapeHtml, languageOf } from "./templates";
import { UNSUBSCRIBE_PAGE_WORDING } from "./unsubscribe-page-strings";

export type UnsubscribePageInput =
  | {
      /** "confirm": the link was followed; "unsubscribed" / "resubscribed": the button was pressed. */
      kind: "confirm" | "unsubscribed" | "resubscribed";
      /** The member's BCP 47 locale; languages the e-mails are not written in fall back to English. */
      locale?: string | undefined;
      programName?: string | undefined;
      channel: ConsentChannel;
      /** The signed token from the link, which the page's button posts back. */
      token: string;
    }
  | { kind: "invalid"; locale?: string | undefined };

/** The page's only style sheet; a server's Content-Security-Policy allows exactly this text by its hash. */
export const UNSUBSCRIBE_PAGE_STYLE =
  "body{font-family:system-ui,sans-serif;margin:0;padding:2rem 1rem;color:#1f2328;background:#f6f8fa}" +
  "main{max-width:32rem;margin:0 auto;padding:1.5rem 2rem;background:#fff;border-radius:8px}" +
  "button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:6px;background:#1f6feb;color:#fff;cursor:pointer}";

/** A form that posts the token to `action`, relative to the page, so the API may live under any base path. */
function form(action: "unsubscribe" | "resubscribe", token: string, label: string): string {
  return [
    `<form method="post" action="${action}">`,
    `<input type="hidden" name="token" value="${escapeHtml(token)}">`,
    `<button type="submit">${escapeHtml(label)}</button>`,
    "</form>",
  ].join("");
}

function content(input: UnsubscribePageInput): { title: string; body: string[] } {
  const words = UNSUBSCRIBE_PAGE_WORDING[languageOf(input.locale)];
  if (input.kind === "invalid") {
    const { heading, text } = words.invalid;
    return { title: heading, body: [`<h1>${escapeHtml(heading)}</h1>`, `<p>${escapeHtml(text)}</p>`] };
  }
  const sender = words.sender(input.programName);
  const what = words.channel[input.channel];
  const title = words.confirm.title(sender);
  switch (input.kind) {
    case "confirm": {
      const { heading, text, button } = words.confirm;
      const body = [`<h1>${escapeHtml(heading)}</h1>`, `<p>${escapeHtml(text(what, sender))}</p>`];
      return { title, body: [...body, form("unsubscribe", input.token, button)] };
    }
    case "unsubscribed": {
      const { heading, text, again, button } = words.unsubscribed;
      const body = [`<h1>${escapeHtml(heading)}</h1>`, `<p>${escapeHtml(text(what, sender))}</p>`];
      return {
        title,
        body: [...body, `<p>${escapeHtml(again)}</p>`, form("resubscribe", input.token, button)],
      };
    }
    case "resubscribed": {
      const { heading, text, button } = words.resubscribed;
      const body = [`<h1>${escapeHtml(heading)}</h1>`, `<p>${escapeHtml(text(what, sender))}</p>`];
      return { title, body: [...body, form("unsubscribe", input.token, button)] };
    }
  }
}

export function renderUnsubscribePage(input: UnsubscribePageInput): string {
  const language = languageOf(input.locale);
  const { title, body } = content(input);
  return [
    "<!doctype html>",
    `<html lang="${language}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${escapeHtml(title)}</title><style>${UNSUBSCRIBE_PAGE_STYLE}</style></head>`,
    `<body><main>${body.join("")}</main></body></html>`,
    "",
  ].join("\n");
}
