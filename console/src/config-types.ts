// The shape of /console/config.json (no DOM or Vite types here: the unit tests import it under Node).

export type AuthConfig =
  | { mode: "local"; tokenUrl: string }
  | { mode: "cognito"; authority: string; clientId: string; domain: string; redirectUri: string };

export interface ConsoleConfig {
  /** The HTTP API's base URL; "" for the console's own origin. */
  apiUrl: string;
  auth: AuthConfig;
}
