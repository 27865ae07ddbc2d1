import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

describe("interface quality", () => {
  it("serves the OpenAPI 3.1 document without a login, equal to the committed docs/openapi.json", async () => {
    const res = await t.call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const committed = JSON.parse(
      readFileSync(join(import.meta.dirname, "..", "..", "..", "docs", "openapi.json"), "utf8"),
    );
    expect(res.body).toEqual(committed);
  });

  it("reports health without a login", async () => {
    const res = await t.call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, checks: { table: { ok: true }, program: { ok: true } } });
  });

  it("rejects a missing, tampered or expired token with 401 before the handler, like API Gateway", async () => {
    expect((await t.call("GET", "/me")).status).toBe(401);
    const token = await memberToken("m-1");
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: "m-2" })).toString("base64url");
    expect((await t.call("GET", "/me", { token: `${header}.${forged}.${signature}` })).status).toBe(401);
    const { signLocalToken } = await import("../../../scripts/local/http-api/local-jwt");
    const expired = await signLocalToken({ member: "m-1" }, { now: new Date(Date.now() - 7_200_000) });
    expect((await t.call("GET", "/me", { token: expired })).status).toBe(401);
  });

  it("answers errors as RFC 9457 problem documents with field paths", async () => {
    const token = await memberToken("m-1");
    const res = await t.call("GET", "/me/ledger?limit=500", { token });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({
      type: "urn:patron:problem:validation-error",
      status: 400,
      title: "Invalid request",
    });
    expect(res.body.errors).toEqual([{ path: "query.limit", message: expect.stringContaining("100") }]);
  });

  it("answers malformed JSON with 400, a wrong media type with 415 and a body over 64 KiB with 413", async () => {
    const token = await marketerToken("alice");
    const headers = { "content-type": "application/json" };
    const malformed = await t.call("PUT", "/program", { token, rawBody: "{ nope", headers });
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe("urn:patron:problem:malformed-body");
    const text = await t.call("PUT", "/program", {
      token,
      rawBody: "{}",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    const big = await t.call("PUT", "/program", {
      token,
      rawBody: JSON.stringify({ pad: "x".repeat(70_000) }),
      headers,
    });
    expect(big.status).toBe(413);
    expect(big.body.type).toBe("urn:patron:problem:payload-too-large");
  });

  it("answers unknown paths with 404 and wrong methods with 405 and Allow", async () => {
    const token = await memberToken("m-1");
    expect((await t.call("GET", "/nothing-here", { token })).status).toBe(404);
    const res = await t.call("DELETE", "/me/preferences", { token });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, PUT");
  });
});
