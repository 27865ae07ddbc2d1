import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import * as z from "zod";
import { createIdentityLinks } from "../../functions/adapters/dynamo/identity-links";
import { createProfileRepository } from "../../functions/adapters/dynamo/profile-repository";
import { memberClaimsFor } from "../../functions/identity/token-claims";
import { signLocalToken } from "./http-api/local-jwt";

// POST /_local/token, the local stand-in for signing in on the Hosted UI:
//   {"marketer": "<name>", "groups"?: ["auditor"]}      a marketer's token (the console's local sign-in); with
//       "auditor" also in that group, as an administrator adds it in the marketers' pool
//   {"user": "<sub>", "email"?, "emailVerified"?}        a shopper's token with the claims the deployed
//       pre-token-generation trigger would give: the members group, and the memberId once the sub is linked
//       (the same function links by a verified e-mail that exactly one member's profile has). Without a link
//       it is the token of a signed-in user who can link (POST /me/link) or enrol (POST /me/enrolment).

const requestSchema = z.union([
  z.strictObject({
    marketer: z.string().trim().min(1).max(64),
    /** More groups of the marketers' pool: "auditor" reads the audit trail. */
    groups: z
      .array(z.enum(["auditor"]))
      .max(1)
      .optional(),
  }),
  z.strictObject({
    user: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "user: a Cognito-like sub, 1-64 letters, digits, - or _" }),
    email: z.email().optional(),
    emailVerified: z.boolean().default(false),
  }),
]);

export type LocalTokenRequest = z.input<typeof requestSchema>;

export interface LocalTokenIssuer {
  /** The token, or the reason the request is refused. */
  issue(body: unknown): Promise<{ accessToken: string; memberId?: string } | { error: string }>;
}

export function createLocalTokenIssuer(options: {
  client: DynamoDBClient;
  tableName: string;
  now: () => Date;
}): LocalTokenIssuer {
  const links = createIdentityLinks(options);
  const profiles = createProfileRepository(options);
  return {
    async issue(body) {
      const parsed = requestSchema.safeParse(body);
      if (!parsed.success)
        return {
          error:
            'send {"marketer": "<name>", "groups"?: ["auditor"]} or {"user": "<sub>", "email"?, "emailVerified"?}',
        };
      const request = parsed.data;
      if ("marketer" in request)
        return {
          accessToken: await signLocalToken({
            marketer: request.marketer,
            ...(request.groups && { groups: request.groups }),
          }),
        };
      const claims = await memberClaimsFor(
        { links, findMembersByEmail: (email) => profiles.findMembersByEmail(email), now: options.now },
        {
          sub: request.user,
          ...(request.email !== undefined && { email: request.email }),
          emailVerified: request.emailVerified,
          groups: [],
        },
      );
      const memberId = claims?.memberId;
      if (memberId === undefined) return { accessToken: await signLocalToken({ user: request.user }) };
      return { accessToken: await signLocalToken({ member: memberId, sub: request.user }), memberId };
    },
  };
}
