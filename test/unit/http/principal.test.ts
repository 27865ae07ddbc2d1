import { describe, expect, it } from "vitest";
import { ForbiddenError } from "../../../functions/http/http-errors";
import {
  assertPartnerAccess,
  authorize,
  PRODUCER_SCOPE,
  type Principal,
  partnerScope,
} from "../../../functions/http/principal";

const caller = (over: Partial<Principal>): Principal => ({
  sub: "s-1",
  actor: "s-1",
  groups: [],
  scopes: [],
  ...over,
});

describe("service routes", () => {
  it("admit a producer's client-credentials token and a marketer", () => {
    expect(authorize("service", caller({ scopes: [PRODUCER_SCOPE] }))?.sub).toBe("s-1");
    expect(authorize("service", caller({ groups: ["marketers"] }))?.sub).toBe("s-1");
  });

  it("refuse members and tokens with other scopes", () => {
    expect(() => authorize("service", caller({ groups: ["members"] }))).toThrow(ForbiddenError);
    expect(() => authorize("service", caller({ scopes: ["patron/other"] }))).toThrow(ForbiddenError);
  });

  it("a producer scope opens no marketer route", () => {
    expect(() => authorize("marketer", caller({ scopes: [PRODUCER_SCOPE] }))).toThrow(ForbiddenError);
  });
});

describe("partner routes", () => {
  it("admit marketers and partner clients, then only for the partner the scope names", () => {
    const cafe = caller({ scopes: [partnerScope("cafe-lumen")] });
    expect(authorize("partner", cafe)?.sub).toBe("s-1");
    expect(() => assertPartnerAccess(cafe, "cafe-lumen")).not.toThrow();
    expect(() => assertPartnerAccess(cafe, "velo-fuel")).toThrow(ForbiddenError);
    const marketer = caller({ groups: ["marketers"] });
    expect(() => assertPartnerAccess(marketer, "velo-fuel")).not.toThrow();
  });

  it("refuse producers and members, and give a partner scope no marketer or service route", () => {
    expect(() => authorize("partner", caller({ scopes: [PRODUCER_SCOPE] }))).toThrow(ForbiddenError);
    expect(() => authorize("partner", caller({ groups: ["members"] }))).toThrow(ForbiddenError);
    const cafe = caller({ scopes: [partnerScope("cafe-lumen")] });
    expect(() => authorize("marketer", cafe)).toThrow(ForbiddenError);
    expect(() => authorize("service", cafe)).toThrow(ForbiddenError);
  });
});
