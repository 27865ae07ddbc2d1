import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { OutboxEvent } from "../bus/event-publisher";
import { parkedEventsItem } from "../bus/parked-events";
import { expiresAfter } from "./item-expiry";
import {
  IDENTITY_LOG_SK_PREFIX,
  identityLinkKey,
  identityLogKey,
  identityRevokedKey,
  linkCodeKey,
  memberIdentityKey,
  memberPk,
} from "./keys";

// The link between a Cognito user (its `sub`) and a loyalty member. Both directions are stored —
// `IDENTITY#<sub> / LINK` and `MEMBER#<id> / IDENTITY` — and written in one transaction, each under
// attribute_not_exists, so two concurrent links of one user or of one member cannot both win. Every link
// and revocation leaves a history item in the member's partition (who, when, how), which a revocation keeps.
// A revocation also marks that user and member (`emailLinkRevoked`): the pre-token trigger would otherwise
// link them again by the same verified e-mail at the next sign-in. A code or an enrolment still links.

export type LinkMethod = "verified-email" | "link-code" | "enrolment";

export interface IdentityLink {
  sub: string;
  memberId: string;
  method: LinkMethod;
  linkedAt: string;
  /** Who linked: the signed-in user's name, or the pre-token trigger for a verified e-mail. */
  linkedBy: string;
  /** For a link code: who issued it (a marketer's name or a producer service's client id). */
  codeIssuedBy?: string;
}

export interface IdentityLogEntry {
  event: "linked" | "revoked";
  sub: string;
  memberId: string;
  at: string;
  by: string;
  method?: LinkMethod;
  codeIssuedBy?: string;
  reason?: string;
}

export interface LinkCode {
  memberId: string;
  issuedAt: string;
  issuedBy: string;
  /** ISO instant after which the code no longer links. */
  validUntil: string;
  usedAt?: string;
  usedBy?: string;
}

export type LinkRefusal = "identity-linked" | "member-linked" | "code-used";

export interface LinkRequest {
  link: IdentityLink;
  /** Consume this code (by hash) in the same transaction: it must be unused, unexpired and for this member. */
  codeHash?: string;
  /** Events parked for the outbox that commit only with the link (the enrolment's Member Enrolled). */
  outbox?: { events: readonly [OutboxEvent, ...OutboxEvent[]]; at: Date };
}

/** Kept after its validity so a late or repeated attempt is told "expired" or "used", not "unknown". */
const LINK_CODE_KEEP_DAYS = 7;
const TRANSACTION_ATTEMPTS = 4;

export function createIdentityLinks(options: { client: DynamoDBClient; tableName: string }) {
  const { client, tableName } = options;

  async function get<T>(Key: Record<string, AttributeValue>): Promise<T | undefined> {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { PK: _pk, SK: _sk, expiresAt: _ttl, ...rest } = unmarshall(Item);
    return rest as T;
  }

  const logPut = (entry: IdentityLogEntry): TransactWriteItem => ({
    Put: {
      TableName: tableName,
      Item: {
        ...identityLogKey(entry.memberId, entry.at, entry.sub),
        ...marshall(entry, { removeUndefinedValues: true }),
      },
    },
  });

  /** Runs a transaction, retrying when another transaction held one of its items; answers the failed conditions. */
  async function transact(items: TransactWriteItem[]): Promise<string[] | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return undefined;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? "None");
        if (codes.includes("ConditionalCheckFailed")) return codes;
        if (!codes.includes("TransactionConflict") || attempt >= TRANSACTION_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  }

  return {
    /** The member a Cognito user is linked to (consistent read). */
    linkOf: (sub: string) => get<IdentityLink>(identityLinkKey(sub)),

    /** The Cognito user a member is linked to (consistent read). */
    linkOfMember: (memberId: string) => get<IdentityLink>(memberIdentityKey(memberId)),

    /** Whether a marketer revoked a link of this user to this member (consistent read). */
    async emailLinkRevoked(sub: string, memberId: string): Promise<boolean> {
      return (await get(identityRevokedKey(sub, memberId))) !== undefined;
    },

    /** Links and revocations of one member, oldest first (at most 100). */
    async history(memberId: string): Promise<IdentityLogEntry[]> {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :log)",
          ExpressionAttributeValues: {
            ":pk": { S: memberPk(memberId) },
            ":log": { S: IDENTITY_LOG_SK_PREFIX },
          },
          Limit: 100,
        }),
      );
      return Items.map((item) => {
        const { PK: _pk, SK: _sk, ...rest } = unmarshall(item);
        return rest as IdentityLogEntry;
      });
    },

    /** Links once: refused when the user or the member is linked already, or the code was used meanwhile. */
    async link(request: LinkRequest): Promise<"linked" | LinkRefusal> {
      const { link, codeHash } = request;
      const item = marshall(link, { removeUndefinedValues: true });
      const items: TransactWriteItem[] = [
        {
          Put: {
            TableName: tableName,
            Item: { ...identityLinkKey(link.sub), ...item },
            ConditionExpression: "attribute_not_exists(PK)",
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: { ...memberIdentityKey(link.memberId), ...item },
            ConditionExpression: "attribute_not_exists(PK)",
          },
        },
        logPut({ event: "linked", ...pickLog(link), at: link.linkedAt, by: link.linkedBy }),
      ];
      if (codeHash !== undefined) {
        items.push({
          Update: {
            TableName: tableName,
            Key: linkCodeKey(codeHash),
            UpdateExpression: "SET usedAt = :at, usedBy = :sub",
            ConditionExpression:
              "attribute_exists(PK) AND memberId = :member AND attribute_not_exists(usedAt) AND validUntil > :at",
            ExpressionAttributeValues: {
              ":at": { S: link.linkedAt },
              ":sub": { S: link.sub },
              ":member": { S: link.memberId },
            },
          },
        });
      }
      if (request.outbox)
        items.push({
          Put: { TableName: tableName, Item: parkedEventsItem(request.outbox.events, request.outbox.at) },
        });
      const failed = await transact(items);
      if (failed === undefined) return "linked";
      if (failed[0] === "ConditionalCheckFailed") return "identity-linked";
      if (failed[1] === "ConditionalCheckFailed") return "member-linked";
      if (failed[3] === "ConditionalCheckFailed") return "code-used";
      throw new Error(`identity link transaction failed on conditions: ${failed.join(", ")}`);
    },

    /**
     * Removes a member's link (both items), recording who revoked it and why, and marks the pair so the
     * verified e-mail does not link it again; undefined when none.
     */
    async revoke(options: {
      memberId: string;
      by: string;
      at: string;
      reason?: string;
    }): Promise<IdentityLink | undefined> {
      for (let attempt = 1; attempt <= TRANSACTION_ATTEMPTS; attempt += 1) {
        const link = await get<IdentityLink>(memberIdentityKey(options.memberId));
        if (!link) return undefined;
        const failed = await transact([
          {
            Delete: {
              TableName: tableName,
              Key: memberIdentityKey(link.memberId),
              ConditionExpression: "#sub = :sub",
              ExpressionAttributeNames: { "#sub": "sub" },
              ExpressionAttributeValues: { ":sub": { S: link.sub } },
            },
          },
          {
            Delete: {
              TableName: tableName,
              Key: identityLinkKey(link.sub),
              ConditionExpression: "memberId = :member",
              ExpressionAttributeValues: { ":member": { S: link.memberId } },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: {
                ...identityRevokedKey(link.sub, link.memberId),
                ...marshall({ revokedAt: options.at, revokedBy: options.by }),
              },
            },
          },
          logPut({
            event: "revoked",
            sub: link.sub,
            memberId: link.memberId,
            at: options.at,
            by: options.by,
            ...(options.reason !== undefined && { reason: options.reason }),
          }),
        ]);
        // A failed condition means the link changed between the read and the write: read it again.
        if (failed === undefined) return link;
      }
      throw new Error(`the link of member ${options.memberId} kept changing while it was revoked`);
    },

    /** Stores a new code's hash; false when that hash is taken (the caller draws another code). */
    async issueCode(codeHash: string, code: LinkCode): Promise<boolean> {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...linkCodeKey(codeHash),
              ...marshall(code, { removeUndefinedValues: true }),
              expiresAt: expiresAfter(code.validUntil, LINK_CODE_KEEP_DAYS),
            },
            ConditionExpression: "attribute_not_exists(PK)",
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === "ConditionalCheckFailedException") return false;
        throw error;
      }
    },

    /** The code stored under this hash, used or not (consistent read). */
    codeByHash: (codeHash: string) => get<LinkCode>(linkCodeKey(codeHash)),
  };
}

export type IdentityLinks = ReturnType<typeof createIdentityLinks>;

function pickLog(link: IdentityLink): Pick<IdentityLogEntry, "sub" | "memberId" | "method" | "codeIssuedBy"> {
  return {
    sub: link.sub,
    memberId: link.memberId,
    method: link.method,
    ...(link.codeIssuedBy !== undefined && { codeIssuedBy: link.codeIssuedBy }),
  };
}
