import type { AuthConfig } from "../config-types";

/**
 * Where the browser goes after signing out: Cognito's Hosted UI logout ends its session too (else the next
 * sign-in would pass straight through), then returns to the console's registered logout URL.
 */
export function hostedUiLogoutUrl(auth: AuthConfig): string | undefined {
  if (auth.mode !== "cognito") return undefined;
  const url = new URL(`${auth.domain}/logout`);
  url.searchParams.set("client_id", auth.clientId);
  url.searchParams.set("logout_uri", new URL("/console/", auth.redirectUri).toString());
  return url.toString();
}
