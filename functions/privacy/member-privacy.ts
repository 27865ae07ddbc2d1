import { type ErasureOutcome, type ErasureRecord, eraseMember, erasureOf } from "./member-erasure";
import { type Item, memberItems, queryPrefix, type TableDeps } from "./member-items";

/** Erasure and the reads an export makes, with the table bound once (the HTTP API holds one). */
export interface MemberPrivacy {
  erase(request: Parameters<typeof eraseMember>[1]): Promise<ErasureOutcome>;
  erasureOf(memberId: string): Promise<ErasureRecord | undefined>;
  queryPrefix(query: Parameters<typeof queryPrefix>[1]): Promise<{ items: Item[]; lastSk?: string }>;
  memberItems(
    memberId: string,
    prefix: string,
    max: number,
  ): Promise<{ items: Record<string, unknown>[]; truncated: boolean }>;
}

export function createMemberPrivacy(table: TableDeps): MemberPrivacy {
  return {
    erase: (request) => eraseMember(table, request),
    erasureOf: (memberId) => erasureOf(table, memberId),
    queryPrefix: (query) => queryPrefix(table, query),
    memberItems: (memberId, prefix, max) => memberItems(table, memberId, prefix, max),
  };
}
