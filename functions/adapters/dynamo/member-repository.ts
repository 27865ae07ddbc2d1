import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DEFAULT_DUE_SHARDS } from "../../../domain/retention/due-buckets";
import { createBusinessKeyStore } from "./business-keys";
import { createDueIndexReader } from "./due-index";
import { createLedgerPartWriter } from "./ledger-parts";
import { createLedgerStore } from "./ledger-store";
import { createMemberCommit } from "./member-commit";
import { createMemberStateStore } from "./member-state-store";
import { createOfferRepository } from "./offer-repository";
import { createPartnerCounters } from "./partner-counters";
import { createProfileRepository } from "./profile-repository";
import { createReferralCodeRepository } from "./referral-codes";

export type { LedgerPartInput, LedgerPartResult } from "./ledger-parts";
export type { LedgerEntryKeys, LedgerPage, LedgerRecord, OrderEntries, OutboundEvent } from "./ledger-store";
export type { CommitInput, CommitResult } from "./member-commit";
export type { MemberSnapshot } from "./member-state-store";

// Persistence of members in the single table: one object over the member's items, each kept by the module
// named for it. STATE (member-state-store.ts), the one commit path (member-commit.ts: STATE, business key and
// ledger in one transaction; ledger-parts.ts the later parts of a change too large for one), business keys (business-keys.ts), ledger (ledger-store.ts), due index
// (due-index.ts), profile (profile-repository.ts), offers, partner counters and referral codes.

export interface MemberRepositoryOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Size of the recent-source-keys ring on the STATE item. */
  recentKeyLimit?: number;
  /** Shards per due day of the due index; must match the program's `retention.dueBuckets.shards`. */
  dueShards?: number;
  clock?: () => Date;
}

const DEFAULT_RECENT_KEYS = 16;

export function createMemberRepository(options: MemberRepositoryOptions) {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  const dueShards = options.dueShards ?? DEFAULT_DUE_SHARDS;
  const recentKeyLimit = options.recentKeyLimit ?? DEFAULT_RECENT_KEYS;
  const states = createMemberStateStore({ client, tableName, dueShards, clock });
  const { compareApplied, ...keys } = createBusinessKeyStore({ client, tableName, clock });
  const { commit, commitTogether } = createMemberCommit({
    client,
    tableName,
    recentKeyLimit,
    clock,
    states,
    keys: { compareApplied },
  });

  return {
    ...states,
    commit,
    commitTogether,
    ...keys,
    ...createLedgerStore({ client, tableName }),
    /** Later parts of a change too large for one transaction (ledger-parts.ts: a migrated member's lots). */
    ...createLedgerPartWriter({ client, tableName, clock, keys: { compareApplied } }),
    ...createDueIndexReader({ client, tableName, dueShards }),

    /** Shards per due day this repository files members under. */
    dueShards,

    /** The PROFILE item's operations (profile-repository.ts): PII apart from STATE, merged field by field. */
    ...createProfileRepository({ client, tableName, clock }),

    /** The member's offer instances (offer-repository.ts). */
    ...createOfferRepository({ client, tableName, shards: dueShards }),

    /** Coalition partners' monthly statement counters (partner-counters.ts). */
    ...createPartnerCounters({ client, tableName, shards: dueShards }),
    /** Referral codes and their owners (referral-codes.ts). */
    ...createReferralCodeRepository({ client, tableName, clock }),
  };
}

export type MemberRepository = ReturnType<typeof createMemberRepository>;
