import { describe, expect, it } from "vitest";
import { ForbiddenError } from "../../../functions/http/http-errors";
import { authorize, PRODUCER_SCOPE, type Principal } from "../../../functions/http/principal";

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
