// What the console needs to know about where it runs, read from /console/config.json at start: written by the
// local platform (same-origin API, local sign-in) or by the CDK stack's deployment (API URL, Cognito).

export type AuthConfig =
  | { mode: "local"; tokenUrl: string }
  | { mode: "cognito"; authority: string; clientId: string; domain: string; redirectUri: string };

export interface ConsoleConfig {
  /** The HTTP API's base URL; "" for the console's own origin. */
  apiUrl: string;
  auth: AuthConfig;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return (await response.json()) as ConsoleConfig;
}
