import type { PreTokenGenerationV2TriggerEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import type { IdentityLink, LinkRequest } from "../../../functions/adapters/dynamo/identity-links";
import { createPreTokenGenerationHandler } from "../../../functions/handlers/pre-token-generation";
import { authorize, NotLinkedError, principalOf } from "../../../functions/http/principal";
import type { HttpEvent } from "../../../functions/http/route";
import type { TokenClaimDeps } from "../../../functions/identity/token-claims";

// The trigger's answer to Cognito (event version 2), on an in-memory link store and e-mail index.

function fakeDeps(
  options: {
    links?: IdentityLink[];
    emails?: Record<string, string[]>;
    /** Links a marketer revoked, as "<sub> <memberId>". */
    revoked?: string[];
  } = {},
) {
  const links = new Map((options.links ?? []).map((link) => [link.sub, link]));
  const revoked = new Set(options.revoked ?? []);
  const made: LinkRequest[] = [];
  const deps: TokenClaimDeps = {
    links: {
      linkOf: async (sub) => links.get(sub),
      link: async (request) => {
        if (links.has(request.link.sub)) return "identity-linked";
        if ([...links.values()].some((l) => l.memberId === request.link.memberId)) return "member-linked";
        links.set(request.link.sub, request.link);
        made.push(request);
        return "linked";
      },
      emailLinkRevoked: async (sub, memberId) => revoked.has(`${sub} ${memberId}`),
    },
    findMembersByEmail: async (email) => options.emails?.[email.toLowerCase()] ?? [],
    now: () => new Date("2026-12-05T10:00:00Z"),
  };
  return { deps, made };
}

function event(attributes: Record<string, string>, groups: string[] = []): PreTokenGenerationV2TriggerEvent {
  return {
    version: "2",
    triggerSource: "TokenGeneration_HostedAuth",
    region: "eu-west-1",
    userPoolId: "eu-west-1_pool",
    userName: "ann",
    callerContext: { awsSdkVersion: "1", clientId: "client" },
    request: { userAttributes: attributes, groupConfiguration: { groupsToOverride: groups } },
    response: { claimsAndScopeOverrideDetails: {} },
  } as PreTokenGenerationV2TriggerEvent;
}

const linked: IdentityLink = {
  sub: "sub-1",
  memberId: "m-1",
  method: "link-code",
  linkedAt: "2026-12-01T00:00:00.000Z",
  linkedBy: "ann",
};

describe("pre-token-generation trigger", () => {
  it("gives a linked user the members group and the memberId claim in both tokens", async () => {
    const { deps } = fakeDeps({ links: [linked] });
    const out = await createPreTokenGenerationHandler(deps)(event({ sub: "sub-1" }));
    expect(out.response.claimsAndScopeOverrideDetails).toEqual({
      groupOverrideDetails: { groupsToOverride: ["members"] },
      idTokenGeneration: { claimsToAddOrOverride: { memberId: "m-1" } },
      accessTokenGeneration: { claimsToAddOrOverride: { memberId: "m-1" } },
    });
  });

  it("gives an unlinked user the group only, so they can link or enrol", async () => {
    const { deps } = fakeDeps();
    const out = await createPreTokenGenerationHandler(deps)(event({ sub: "sub-2", email: "x@example.com" }));
    const details = out.response.claimsAndScopeOverrideDetails;
    expect(details.groupOverrideDetails?.groupsToOverride).toEqual(["members"]);
    expect(details.accessTokenGeneration?.claimsToAddOrOverride).toEqual({});
  });

  it("links by a verified e-mail only when exactly one member has it and nobody holds that member", async () => {
    const { deps, made } = fakeDeps({
      links: [{ ...linked, sub: "sub-other", memberId: "m-taken" }],
      emails: {
        "ann@example.com": ["m-ann"],
        "twins@example.com": ["m-a", "m-b"],
        "taken@example.com": ["m-taken"],
      },
    });
    const handler = createPreTokenGenerationHandler(deps);
    const claim = async (attributes: Record<string, string>) =>
      (await handler(event(attributes))).response.claimsAndScopeOverrideDetails.accessTokenGeneration
        ?.claimsToAddOrOverride;
    expect(await claim({ sub: "s-1", email: "Ann@Example.com", email_verified: "false" })).toEqual({});
    expect(await claim({ sub: "s-2", email: "twins@example.com", email_verified: "true" })).toEqual({});
    expect(await claim({ sub: "s-3", email: "taken@example.com", email_verified: "true" })).toEqual({});
    expect(await claim({ sub: "s-4", email: "Ann@Example.com", email_verified: "true" })).toEqual({
      memberId: "m-ann",
    });
    expect(made).toEqual([
      {
        link: expect.objectContaining({ sub: "s-4", memberId: "m-ann", method: "verified-email" }),
      },
    ]);
    expect(made[0]?.link.linkedBy).toContain("ann");
  });

  it("does not link by e-mail again a user a marketer unlinked from that member", async () => {
    const { deps, made } = fakeDeps({
      emails: { "ann@example.com": ["m-ann"] },
      revoked: ["s-revoked m-ann", "s-other m-elsewhere"],
    });
    const handler = createPreTokenGenerationHandler(deps);
    const claim = async (sub: string) =>
      (await handler(event({ sub, email: "ann@example.com", email_verified: "true" }))).response
        .claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride;
    expect(await claim("s-revoked")).toEqual({});
    // A revocation from another member does not stand in the way.
    expect(await claim("s-other")).toEqual({ memberId: "m-ann" });
    expect(made.map((request) => request.link.sub)).toEqual(["s-other"]);
  });

  it("gives the group without a memberId when the table fails, rather than failing the sign-in", async () => {
    const { deps } = fakeDeps();
    const errors: unknown[] = [];
    const failing: TokenClaimDeps = {
      ...deps,
      links: { ...deps.links, linkOf: () => Promise.reject(new Error("throttled")) },
      onError: (error) => errors.push(error),
    };
    const out = await createPreTokenGenerationHandler(failing)(event({ sub: "sub-1" }));
    expect(out.response.claimsAndScopeOverrideDetails).toMatchObject({
      groupOverrideDetails: { groupsToOverride: ["members"] },
      accessTokenGeneration: { claimsToAddOrOverride: {} },
    });
    expect(errors).toEqual([new Error("throttled")]);
  });

  it("links nobody by e-mail when the revocation check fails: an error withholds the claim, never adds it", async () => {
    const { deps, made } = fakeDeps({ emails: { "ann@example.com": ["m-ann"] } });
    const errors: unknown[] = [];
    const failing: TokenClaimDeps = {
      ...deps,
      links: { ...deps.links, emailLinkRevoked: () => Promise.reject(new Error("throttled")) },
      onError: (error) => errors.push(error),
    };
    const out = await createPreTokenGenerationHandler(failing)(
      event({ sub: "s-1", email: "ann@example.com", email_verified: "true" }),
    );
    expect(out.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride).toEqual(
      {},
    );
    expect(made).toEqual([]);
    expect(errors).toEqual([new Error("throttled")]);
  });

  it("leaves a marketer's token as Cognito made it", async () => {
    const { deps } = fakeDeps({ links: [linked] });
    const out = await createPreTokenGenerationHandler(deps)(event({ sub: "sub-1" }, ["marketers"]));
    expect(out.response.claimsAndScopeOverrideDetails).toEqual({});
  });
});

describe("the API's principal", () => {
  const call = (claims: Record<string, unknown>) =>
    ({ requestContext: { authorizer: { jwt: { claims } } } }) as unknown as HttpEvent;

  it("reads the memberId claim the trigger sets", () => {
    expect(
      principalOf(call({ sub: "sub-1", "cognito:groups": "[members]", memberId: "m-1" }))?.memberId,
    ).toBe("m-1");
    expect(principalOf(call({ sub: "sub-2", "cognito:groups": "[members]" }))?.memberId).toBeUndefined();
  });

  it("lets the members group, linked or not, onto identity routes; marketers not", () => {
    const unlinked = principalOf(call({ sub: "sub-2", "cognito:groups": "[members]" }));
    expect(authorize("identity", unlinked)?.sub).toBe("sub-2");
    expect(() =>
      authorize("identity", principalOf(call({ sub: "x", "cognito:groups": "[marketers]" }))),
    ).toThrow();
  });

  it("says how to link in the not-linked problem", () => {
    const error = new NotLinkedError();
    expect(error.status).toBe(403);
    expect(error.slug).toBe("member-not-linked");
    expect(error.message).toMatch(/POST \/me\/link.*POST \/me\/enrolment/);
  });
});
