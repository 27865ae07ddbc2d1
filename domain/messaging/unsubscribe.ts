// RFC 8058 one-click unsubscribe: every retention e-mail names an https URL that unsubscribes on a POST.
import { InvalidFacts } from "../errors";

// The local platform (`npm start`, the end-to-end test) serves its API over plain http on the loopback
// interface, where no TLS certificate exists. Such a link can only ever reach the machine it was sent on,
// so it is allowed there; any other host must use https, as RFC 8058 requires.
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** The URL, if it is an absolute https URL (or http on a loopback host); a clear error otherwise. */
export function oneClickUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidFacts("unsubscribeUrl", "must be an absolute URL");
  }
  const localHttp = parsed.protocol === "http:" && LOOPBACK_HOST.test(parsed.hostname);
  if (parsed.protocol !== "https:" && !localHttp)
    throw new InvalidFacts("unsubscribeUrl", "must use https (RFC 8058); plain http only on a loopback host");
  return parsed.href;
}

export function unsubscribeHeaders(url: string): {
  "List-Unsubscribe": string;
  "List-Unsubscribe-Post": string;
} {
  return {
    "List-Unsubscribe": `<${oneClickUrl(url)}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}
