import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { diffPrograms, type ProgramChange } from "../../../domain/program/program-diff";
import type { Program } from "../../../domain/program/program-schema";
import { programInEffect } from "../../../domain/program/program-timeline";
import { PROGRAM_PK, PROGRAM_VERSION_PREFIX, programVersionSk } from "./keys";
import { queryAll } from "./query-items";

// Program versions live in the single table under one partition:
//   PK = "PROGRAM", SK = "VERSION#<version, 10 digits>", attributes program (map), effectiveFrom,
//   publishedAt, publishedBy, diff (what changed against the previous version).
// Versions are immutable; publishing version n is a Put conditioned on attribute_not_exists, so two
// marketers can never both create version n (several versions at once: one transaction of such Puts).
// Which version is in effect when is domain/program/program-timeline.ts: the highest version whose
// effectiveFrom has passed, so a new version changes nothing before its own effectiveFrom.
//
// Caching: every warm Lambda keeps all versions in memory for `cacheTtlMs` (default 60 s). A new version
// must take effect at least `cacheTtlMs` after it is published (publish enforces it), so by the time it
// is in effect every cache that predates it has expired: events are always processed under the version
// in effect when they occurred, without a read per event.

export const DEFAULT_PROGRAM_CACHE_TTL_MS = 60_000;
const MAX_DIFF_CHANGES = 200;
/** DynamoDB's limit of items in one transaction. */
const MAX_VERSIONS_PER_PUBLISH = 100;

export interface ProgramVersion {
  program: Program;
  version: number;
  effectiveFrom: string;
  publishedAt: string;
  publishedBy: string;
  diff: ProgramChange[];
  /** True when the diff was cut at MAX_DIFF_CHANGES entries. */
  diffTruncated: boolean;
}

export class ProgramVersionConflict extends Error {
  override readonly name = "ProgramVersionConflict";
  constructor(readonly version: number) {
    super(`program version ${version} was published by someone else in the meantime`);
  }
}

export interface ProgramRepositoryOptions {
  client: DynamoDBClient;
  tableName: string;
  cacheTtlMs?: number;
  clock?: () => Date;
}

export function createProgramRepository(options: ProgramRepositoryOptions) {
  const { client, tableName } = options;
  const ttl = options.cacheTtlMs ?? DEFAULT_PROGRAM_CACHE_TTL_MS;
  const clock = options.clock ?? (() => new Date());
  let cache: { loadedAt: number; versions: ProgramVersion[] } | undefined;

  async function loadAll(): Promise<ProgramVersion[]> {
    const items = await queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": { S: PROGRAM_PK }, ":prefix": { S: PROGRAM_VERSION_PREFIX } },
      ConsistentRead: true,
    });
    const versions = items.map((item) => {
      const { PK: _pk, SK: _sk, ...record } = unmarshall(item);
      return record as ProgramVersion;
    });
    return versions.sort((a, b) => a.version - b.version);
  }

  /** All versions, oldest first; from the cache while it is fresh. */
  async function listVersions(options: { fresh?: boolean } = {}): Promise<ProgramVersion[]> {
    const now = clock().getTime();
    if (!options.fresh && cache && now - cache.loadedAt < ttl) return cache.versions;
    const versions = await loadAll();
    cache = { loadedAt: now, versions };
    return versions;
  }

  return {
    listVersions,

    /** One version as stored, or undefined when it was never published: one strongly consistent GetItem. */
    async getVersion(version: number): Promise<ProgramVersion | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { PK: { S: PROGRAM_PK }, SK: { S: programVersionSk(version) } },
          ConsistentRead: true,
        }),
      );
      if (!Item) return undefined;
      const { PK: _pk, SK: _sk, ...record } = unmarshall(Item);
      return record as ProgramVersion;
    },

    /** The newest published version (possibly not yet in effect), or undefined before the first publish. */
    async latest(options: { fresh?: boolean } = {}): Promise<ProgramVersion | undefined> {
      return (await listVersions(options)).at(-1);
    },

    /** The version in effect at `occurredAt`; undefined when none had taken effect yet. */
    async inEffectAt(occurredAt: Date | string): Promise<Program | undefined> {
      return programInEffect(
        (await listVersions()).map((v) => v.program),
        occurredAt,
      );
    },

    /** How long before its effectiveFrom a new version must be published (the cache TTL). */
    minimumLeadMs: ttl,

    /**
     * Publishes `program` as its `version`, which must be the latest + 1. Throws ProgramVersionConflict when
     * that version already exists. The caller checks effectiveFrom against `minimumLeadMs`.
     */
    async publish(program: Program, actor: string): Promise<ProgramVersion> {
      const [record] = await publishAll([program], actor);
      if (!record) throw new Error("nothing published");
      return record;
    },

    publishAll,
  };

  /**
   * Publishes consecutive versions (latest + 1, + 2, …) all or none, in one transaction: a reward change
   * that rebases scheduled versions never leaves half of them published. Throws ProgramVersionConflict
   * when one of them already exists.
   */
  async function publishAll(programs: readonly Program[], actor: string): Promise<ProgramVersion[]> {
    if (programs.length > MAX_VERSIONS_PER_PUBLISH)
      throw new Error(`at most ${MAX_VERSIONS_PER_PUBLISH} versions can be published at once`);
    let previous = (await listVersions({ fresh: true })).at(-1)?.program;
    const publishedAt = clock().toISOString();
    const records = programs.map((program): ProgramVersion => {
      const diff = diffPrograms(previous ?? {}, program);
      previous = program;
      return {
        program,
        version: program.version,
        effectiveFrom: new Date(program.effectiveFrom).toISOString(),
        publishedAt,
        publishedBy: actor,
        diff: diff.slice(0, MAX_DIFF_CHANGES),
        diffTruncated: diff.length > MAX_DIFF_CHANGES,
      };
    });
    const puts = records.map((record) => ({
      TableName: tableName,
      Item: {
        PK: { S: PROGRAM_PK },
        SK: { S: programVersionSk(record.version) },
        ...marshall(record, { removeUndefinedValues: true, convertClassInstanceToMap: true }),
      },
      ConditionExpression: "attribute_not_exists(PK)",
    }));
    const first = programs[0]?.version ?? 0;
    try {
      if (puts.length === 1 && puts[0]) await client.send(new PutItemCommand(puts[0]));
      else await client.send(new TransactWriteItemsCommand({ TransactItems: puts.map((Put) => ({ Put })) }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ProgramVersionConflict(first);
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.some((r) => r.Code === "ConditionalCheckFailed")
      )
        throw new ProgramVersionConflict(first);
      throw error;
    }
    cache = undefined;
    return records;
  }
}

export type ProgramRepository = ReturnType<typeof createProgramRepository>;
