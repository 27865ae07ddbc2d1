import { randomUUID } from "node:crypto";
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import {
  mergeProfileFacts,
  type ProfileChange,
  type ProfileMerge,
  type StoredProfile,
} from "../../../domain/member/profile-facts";
import { profileKey } from "./keys";
import { type OptimisticRetryOptions, withOptimisticRetry } from "./optimistic-retry";

// The member's PROFILE item (PII: e-mail, consent, time zone, names), apart from STATE so reading or
// committing member state never touches it. Every writer goes through `mergeProfile`: read, merge the
// change's timestamped facts (domain/member/profile-facts.ts), Put under the write token that was read. A
// writer that lost the race reads again and merges again, so no concurrent writer loses another's change.

export interface ProfileRepositoryOptions {
  client: DynamoDBClient;
  tableName: string;
  clock?: () => Date;
}

type Attempt = { outcome: "merged"; merge: ProfileMerge } | { outcome: "conflict" };

export function createProfileRepository(options: ProfileRepositoryOptions) {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());

  /** The condition that the item is still the one read: same write token, or still absent. */
  function unchangedSince(read: Record<string, AttributeValue> | undefined) {
    const seen = read?.writeToken?.S;
    if (read === undefined) return { ConditionExpression: "attribute_not_exists(PK)" };
    // Items seeded without a token (older profiles): the first writer adds one.
    if (seen === undefined) return { ConditionExpression: "attribute_not_exists(writeToken)" };
    return { ConditionExpression: "writeToken = :seen", ExpressionAttributeValues: { ":seen": { S: seen } } };
  }

  async function attempt(memberId: string, change: ProfileChange): Promise<Attempt> {
    const key = profileKey(memberId);
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    const stored = Item ? (unmarshall(Item.profile?.M ?? {}) as StoredProfile) : undefined;
    const merge = mergeProfileFacts(stored, change);
    // Nothing newer: no write at all (a redelivered or stale change costs one read).
    if (merge.applied.length === 0) return { outcome: "merged", merge };
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...key,
            profile: { M: marshall(merge.profile, { removeUndefinedValues: true }) },
            updatedAt: { S: clock().toISOString() },
            writeToken: { S: randomUUID() },
          },
          ...unchangedSince(Item),
        }),
      );
      return { outcome: "merged", merge };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { outcome: "conflict" };
      throw error;
    }
  }

  return {
    /**
     * Merges a change into the member's profile: each field (each consent channel, each name part) takes
     * the change's value only where the change is newer than the field's last one. Returns the profile as
     * stored afterwards and the field paths that changed (none for a replayed or stale change). A write
     * that lost a race is retried on a fresh read (`retry`, with jittered backoff).
     */
    async mergeProfile(
      memberId: string,
      change: ProfileChange,
      retry?: OptimisticRetryOptions,
    ): Promise<ProfileMerge> {
      const { merge } = await withOptimisticRetry(() => attempt(memberId, change), retry);
      return merge;
    },

    /** Eventually consistent (½ RU): for reading; writers merge on a consistent read of their own. */
    async getProfile<P extends StoredProfile = StoredProfile>(memberId: string): Promise<P | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: profileKey(memberId) }),
      );
      return Item ? (unmarshall(Item.profile?.M ?? {}) as P) : undefined;
    },
  };
}

export type ProfileRepository = ReturnType<typeof createProfileRepository>;
