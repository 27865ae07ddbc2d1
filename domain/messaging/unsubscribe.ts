// RFC 8058 one-click unsubscribe: every retention e-mail names an https URL that unsubscribes on a POST.
import { InvalidFacts } from "../errors";

/** The URL, if it is an absolute https URL; a clear error otherwise. */
export function oneClickUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidFacts("unsubscribeUrl", "must be an absolute URL");
  }
  if (parsed.protocol !== "https:") throw new InvalidFacts("unsubscribeUrl", "must use https (RFC 8058)");
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
