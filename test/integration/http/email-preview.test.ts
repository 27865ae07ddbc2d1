import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_OFFER_CODE } from "../../../domain/messaging/sample-message";
import { exampleProgram, exampleProgramInput } from "../../../domain/program/example-program";
import { triggerFamilySchema } from "../../../domain/retention/trigger-family";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// POST /program/preview-email through the HTTP API: every trigger family renders for a sample member with the
// program's branding; a draft program is rendered as drafted; bad input is answered field by field.

let t: TestApi;
let token: string;
beforeAll(async () => {
  t = await startTestApi();
  token = await marketerToken("alice");
});
afterAll(async () => {
  await t.stop();
});

const preview = (body: unknown, bearer = token) =>
  t.call("POST", "/program/preview-email", { token: bearer, body });

describe("POST /program/preview-email", () => {
  it("renders every trigger family in English and German with the program in effect", async () => {
    for (const trigger of triggerFamilySchema.options) {
      for (const locale of ["en-GB", "de-AT"]) {
        const res = await preview({ trigger, locale });
        expect(res.status, `${trigger} ${locale}`).toBe(200);
        expect(res.body.language).toBe(locale.slice(0, 2));
        expect(res.body.subject.length).toBeGreaterThan(5);
        expect(res.body.html).toContain(exampleProgram.branding.postalAddress.replace("&", "&amp;"));
        expect(res.body.text).toContain(locale.startsWith("de") ? "Hallo Jana," : "Hi Alex,");
        expect(res.body.warnings).toEqual([]);
      }
    }
  });

  it("shows the offer the trigger would carry, with a sample code, and the chosen win-back step", async () => {
    const last = await preview({ trigger: "win-back", locale: "en" });
    expect(last.body.subject).toBe(`Last chance: your offer from ${exampleProgram.name}`);
    expect(last.body.html).toContain(SAMPLE_OFFER_CODE);
    const first = await preview({ trigger: "win-back", winBackStep: 1, locale: "en" });
    expect(first.body.subject).toBe(`Come back to ${exampleProgram.name}`);
  });

  it("renders a draft program's branding, and warns when the postal address and shop are missing", async () => {
    const draft = {
      ...exampleProgramInput,
      version: 2,
      branding: { displayName: "Corner Shop", primaryColor: "#0a7d5a" },
    };
    const res = await preview({ trigger: "birthday", program: draft });
    expect(res.status).toBe(200);
    expect(res.body.html).toContain(">Corner Shop</div>");
    expect(res.body.html).toContain("#0a7d5a");
    expect(res.body.warnings).toEqual(["postal-address-missing", "shop-url-missing"]);
  });

  it("answers bad input with a problem naming each field", async () => {
    const res = await preview({
      trigger: "anniversary",
      locale: "english please",
      program: { ...exampleProgramInput, branding: { logoUrl: "http://cdn.example/logo.png" } },
    });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe("urn:patron:problem:validation-error");
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(["locale", "program.branding.logoUrl", "trigger"]);
    const step = await preview({ trigger: "win-back", winBackStep: 5 });
    expect(step.status).toBe(400);
    expect(step.body.errors).toEqual([
      { path: "winBackStep", message: "winBackStep must be at most 3, the program's win-back steps" },
    ]);
  });

  it("is for marketers only", async () => {
    const res = await preview({ trigger: "birthday" }, await memberToken("m-1"));
    expect(res.status).toBe(403);
  });
});
