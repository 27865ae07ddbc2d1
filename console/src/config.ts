import type { ConsoleConfig } from "./config-types";

export type { AuthConfig, ConsoleConfig } from "./config-types";

// What the console needs to know about where it runs, read from /console/config.json at start: written by the
// local platform (same-origin API, local sign-in) or by the CDK stack's deployment (API URL, Cognito).

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return (await response.json()) as ConsoleConfig;
}
