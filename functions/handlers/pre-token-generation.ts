import type { PreTokenGenerationV2TriggerEvent } from "aws-lambda";
import { createIdentityLinks } from "../adapters/dynamo/identity-links";
import { createProfileRepository } from "../adapters/dynamo/profile-repository";
import { MEMBER_ID_CLAIM } from "../http/principal";
import { memberClaimsFor, type TokenClaimDeps } from "../identity/token-claims";
import { parseConfig } from "../shared/config";
import { consumerConfigSchema } from "../shared/consumer-config";
import { tableFromConfig } from "../shared/lambda-wiring";
import { createLogger } from "../shared/logger";
import { onFirstCall } from "../shared/runtime";

// Cognito's pre-token-generation trigger (event version 2, so it can change the access token the API reads):
// a shopper's tokens get the `members` group and, once their user is linked to a member, the `memberId`
// claim (functions/identity/token-claims.ts, which also links by a verified e-mail). Marketers' tokens are
// left as Cognito made them. It runs on every sign-in and token refresh, so a link made or revoked shows
// in the next token.

export function createPreTokenGenerationHandler(deps: TokenClaimDeps) {
  return async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
    const attributes = event.request.userAttributes;
    const sub = attributes.sub;
    if (sub === undefined || sub === "")
      throw new Error("pre-token-generation: the user has no sub attribute");
    const claims = await memberClaimsFor(deps, {
      sub,
      username: event.userName,
      ...(attributes.email !== undefined && { email: attributes.email }),
      emailVerified: attributes.email_verified === "true",
      groups: event.request.groupConfiguration.groupsToOverride ?? [],
    });
    if (claims === undefined) return event;
    const memberClaim: Record<string, string> =
      claims.memberId === undefined ? {} : { [MEMBER_ID_CLAIM]: claims.memberId };
    event.response = {
      claimsAndScopeOverrideDetails: {
        groupOverrideDetails: { ...event.request.groupConfiguration, groupsToOverride: claims.groups },
        idTokenGeneration: { claimsToAddOrOverride: memberClaim },
        accessTokenGeneration: { claimsToAddOrOverride: memberClaim },
      },
    };
    return event;
  };
}

export const preTokenGenerationConfigSchema = consumerConfigSchema.pick({
  TABLE_NAME: true,
  AWS_REGION: true,
  DYNAMODB_ENDPOINT: true,
});

export const handler = onFirstCall(() => {
  const config = parseConfig(preTokenGenerationConfigSchema, process.env);
  const table = tableFromConfig(config);
  const profiles = createProfileRepository(table);
  const logger = createLogger();
  return createPreTokenGenerationHandler({
    links: createIdentityLinks(table),
    findMembersByEmail: (email) => profiles.findMembersByEmail(email),
    now: () => new Date(),
    onError: (error) => logger.warn("member claims unavailable: token without memberId", { error }),
  });
});
