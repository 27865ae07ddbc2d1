import {
  type DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { canonicalLinkCode, newLinkCode } from "../../identity/link-codes";
import { memberReferralKey, referralCodeKey } from "./keys";

// A member's referral code: 8 characters of the link-code alphabet (Crockford base32, 40 bits), random, made
// on the member's first GET /me/referral and the same on every later call. Two items, written in one
// transaction under attribute_not_exists: the code's owner (read when someone enrols with it) and the
// member's own (read when they ask for it). A member holds one code for ever; a collision with another
// member's code (about 1 in 10^12 per code issued) draws again.

const MAX_DRAWS = 5;

export interface ReferralCodeOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Random index below `max`; injected by tests. */
  random?: (max: number) => number;
  clock?: () => Date;
}

export function createReferralCodeRepository(options: ReferralCodeOptions) {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());

  async function codeOf(memberId: string): Promise<string | undefined> {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: memberReferralKey(memberId), ConsistentRead: true }),
    );
    return Item?.code?.S;
  }

  return {
    /** The member's referral code, made on first use; the same on every call, even two at once. */
    async referralCode(memberId: string): Promise<string> {
      for (let draw = 0; draw < MAX_DRAWS; draw += 1) {
        const existing = await codeOf(memberId);
        if (existing !== undefined) return existing;
        const code = canonicalLinkCode(newLinkCode(options.random)) as string;
        const createdAt = clock().toISOString();
        try {
          await client.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName,
                    Item: {
                      ...referralCodeKey(code),
                      memberId: { S: memberId },
                      createdAt: { S: createdAt },
                    },
                    ConditionExpression: "attribute_not_exists(PK)",
                  },
                },
                {
                  Put: {
                    TableName: tableName,
                    Item: { ...memberReferralKey(memberId), code: { S: code }, createdAt: { S: createdAt } },
                    ConditionExpression: "attribute_not_exists(PK)",
                  },
                },
              ],
            }),
          );
          return code;
        } catch (error) {
          // Another request made the member's code first, or the code is taken: read again / draw again.
          if (!(error instanceof TransactionCanceledException)) throw error;
        }
      }
      throw new Error(`no referral code could be made for the member in ${MAX_DRAWS} draws`);
    },

    /** The member a referral code (as typed: any case, with or without its dash) belongs to, if any. */
    async referralCodeOwner(typed: string): Promise<string | undefined> {
      const code = canonicalLinkCode(typed);
      if (code === undefined) return undefined;
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: referralCodeKey(code), ConsistentRead: true }),
      );
      return Item?.memberId?.S;
    },
  };
}
