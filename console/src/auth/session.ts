import { UserManager, WebStorageStateStore } from "oidc-client-ts";
import type { AuthConfig } from "../config";

// Who is signed in. Locally a marketer name buys a token from the local platform's token path (the same HS256
// stand-in for Cognito the CLI's `npm run token` mints); deployed, Cognito's Hosted UI with the authorization
// code flow and PKCE (oidc-client-ts). Tokens live in sessionStorage: closing the tab signs out.

const STORAGE_KEY = "patron.console.session";

export interface Session {
  name: string;
  accessToken: string;
  expiresAt: number;
}

/** The claims the console reads from an access token (the API checks the signature; the console cannot). */
function claimsOf(token: string): { username?: string; exp?: number; "cognito:groups"?: string[] } {
  const payload = token.split(".")[1] ?? "";
  const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(json) as { username?: string; exp?: number; "cognito:groups"?: string[] };
}

export class NotAMarketer extends Error {
  constructor() {
    super("This account is not in the marketers group.");
  }
}

function sessionFromToken(accessToken: string): Session {
  const claims = claimsOf(accessToken);
  if (!(claims["cognito:groups"] ?? []).includes("marketers")) throw new NotAMarketer();
  return { name: claims.username ?? "marketer", accessToken, expiresAt: (claims.exp ?? 0) * 1000 };
}

export function storedSession(): Session | undefined {
  const text = sessionStorage.getItem(STORAGE_KEY);
  if (!text) return undefined;
  const session = JSON.parse(text) as Session;
  return session.expiresAt > Date.now() ? session : undefined;
}

function store(session: Session): Session {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export async function signInLocally(tokenUrl: string, marketer: string): Promise<Session> {
  const response = await fetch(tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ marketer }),
  });
  if (!response.ok) throw new Error(`Sign-in failed (HTTP ${response.status}).`);
  const { accessToken } = (await response.json()) as { accessToken: string };
  return store(sessionFromToken(accessToken));
}

function userManager(auth: Extract<AuthConfig, { mode: "cognito" }>): UserManager {
  return new UserManager({
    authority: auth.authority,
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    response_type: "code",
    scope: "openid email",
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    // Cognito's discovery document has no end_session_endpoint; its logout lives on the Hosted UI domain.
    metadataSeed: { end_session_endpoint: `${auth.domain}/logout` },
  });
}

/** Sends the browser to the Hosted UI (authorization code + PKCE). */
export async function signInWithCognito(auth: Extract<AuthConfig, { mode: "cognito" }>): Promise<void> {
  await userManager(auth).signinRedirect();
}

/** Completes the Hosted UI's redirect back to the console, if this page load is one. */
export async function completeCognitoSignIn(
  auth: Extract<AuthConfig, { mode: "cognito" }>,
): Promise<Session | undefined> {
  const params = new URLSearchParams(window.location.search);
  if (!params.has("code") || !params.has("state")) return undefined;
  const user = await userManager(auth).signinRedirectCallback();
  window.history.replaceState(null, "", window.location.pathname);
  return store(sessionFromToken(user.access_token));
}
