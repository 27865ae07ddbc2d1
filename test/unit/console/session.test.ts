import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NotAMarketer, signInLocally, storedSession } from "../../../console/src/auth/session";

// The console's sign-in reads the access token's groups: only a member of `marketers` gets a session (the
// API checks the same group on every marketer route; the console says so before the first call fails).

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const tokenWith = (claims: object) => `${base64url({ alg: "HS256" })}.${base64url(claims)}.signature`;
const exp = Math.floor(Date.now() / 1000) + 3600;

function answerToken(accessToken: string): void {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => Response.json({ accessToken })),
  );
}

beforeEach(() => {
  const items = new Map<string, string>();
  vi.stubGlobal("sessionStorage", {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => items.set(key, value),
    removeItem: (key: string) => items.delete(key),
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the console's sign-in", () => {
  it("gives a member of the marketers group a session, stored for the tab", async () => {
    const token = tokenWith({ username: "ada", exp, "cognito:groups": ["support", "marketers"] });
    answerToken(token);
    const session = await signInLocally("/_local/token", "ada");
    expect(session).toEqual({ name: "ada", accessToken: token, expiresAt: exp * 1000 });
    expect(storedSession()).toEqual(session);
  });

  it.each([
    ["in other groups only", { "cognito:groups": ["support"] }],
    ["in no group", {}],
  ])("refuses an account %s: NotAMarketer, and nothing is stored", async (_, groups) => {
    answerToken(tokenWith({ username: "bob", exp, ...groups }));
    await expect(signInLocally("/_local/token", "bob")).rejects.toBeInstanceOf(NotAMarketer);
    expect(storedSession()).toBeUndefined();
  });
});
