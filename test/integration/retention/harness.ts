import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { inject } from "vitest";
import {
  applyPurchase,
  enrolMember,
  exampleProgramInput,
  type MemberState,
  type Program,
  type ProgramInput,
  programSchema,
} from "../../../domain";
import type { OutboxEvent } from "../../../functions/adapters/bus/event-publisher";
import { tableEventParking } from "../../../functions/adapters/bus/parked-events";
import {
  createMemberRepository,
  type MemberRepository,
} from "../../../functions/adapters/dynamo/member-repository";
import { withOptimisticRetry } from "../../../functions/adapters/dynamo/optimistic-retry";
import { createSesMailer, type Mailer } from "../../../functions/adapters/ses/mailer";
import { createTokenSigner } from "../../../functions/http/signed-token";
import { createMessageStore, type MessageStore } from "../../../functions/retention/message-store";
import { type RetentionJobDeps, runRetentionJob } from "../../../functions/retention/run-retention-job";
import { createLogger } from "../../../functions/shared/logger";
import { LOCAL_SIGNING_SECRET } from "../../../scripts/local/http-api/local-jwt";
import { createTestTable, dynamoClient, type TestTable } from "../support/dynamo";

// A retention test bench: a fresh table, the real job wired to DynamoDB Local and aws-ses-v2-local, a
// publisher that records events, and helpers to enrol members and apply purchases the way the pipeline does.

export const PUBLIC_API_URL = "https://patron.example";
export const SENDER = "rewards@maison-market.example";

type Stored = MemberState & Record<string, unknown>;

export interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

export interface Bench {
  tableName: string;
  client: DynamoDBClient;
  /** Set `down` to make every publish fail, as when EventBridge is unreachable; `refused` has what it refused. */
  bus: { down: boolean; refused: OutboxEvent[] };
  members: MemberRepository;
  messages: MessageStore;
  program: Program;
  events: OutboxEvent[];
  sesClient: SESv2Client;
  /** Unique per bench: every address ends with it, so parallel test files never see each other's mail. */
  domain: string;
  deps(mailer?: Mailer): RetentionJobDeps;
  run(at: string, mailer?: Mailer): ReturnType<typeof runRetentionJob>;
  enrol(memberId: string, at: string, profile?: Partial<ProfileFields>): Promise<void>;
  /** Applies a purchase; true when it moved the member's due day (an index write on the purchase path). */
  purchase(memberId: string, at: string, totalMinor: number, category?: string): Promise<boolean>;
  emails(): Promise<StoredEmail[]>;
  close(): Promise<void>;
}

export interface ProfileFields {
  email: string;
  locale: string;
  timeZone: string;
  quietHours: { start: string; end: string } | null;
  consent: { email: boolean; sms: boolean; push: boolean };
  profile: { givenName: string };
  emailBounced: boolean;
  emailComplained: boolean;
  emailSuppressed: boolean;
}

export function testProgram(edit: (input: ProgramInput) => void = () => {}): Program {
  const input: ProgramInput = structuredClone(exampleProgramInput);
  edit(input);
  return programSchema.parse(input);
}

export async function startBench(program: Program, options: { stream?: boolean } = {}): Promise<Bench> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  const endpoint = inject("dynamoEndpoint");
  const sesEndpoint = inject("sesEndpoint");
  const table: TestTable = await createTestTable(endpoint, { stream: options.stream ?? false });
  const client = dynamoClient(endpoint, 3);
  const members = createMemberRepository({ client, tableName: table.tableName });
  const messages = createMessageStore({ client, tableName: table.tableName });
  const sesClient = new SESv2Client({
    endpoint: sesEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const events: OutboxEvent[] = [];
  const bus = { down: false, refused: [] as OutboxEvent[] };
  const domain = `${randomUUID().slice(0, 8)}.test`;
  const logger = createLogger({ logLevel: "ERROR" });
  const deps = (mailer?: Mailer): RetentionJobDeps => ({
    members,
    messages,
    programs: { inEffectAt: async () => program },
    mailer:
      mailer ?? createSesMailer({ client: sesClient, senderAddress: SENDER, configurationSetName: "patron" }),
    publisher: {
      publish: async (batch) => {
        if (bus.down) {
          bus.refused.push(...batch);
          throw new Error("injected: the bus is unreachable");
        }
        events.push(...batch);
        return { published: batch.length, failed: [] };
      },
    },
    parking: tableEventParking({ client, tableName: table.tableName }),
    signer: createTokenSigner(LOCAL_SIGNING_SECRET),
    publicApiUrl: PUBLIC_API_URL,
    logger,
  });
  return {
    tableName: table.tableName,
    client,
    bus,
    members,
    messages,
    program,
    events,
    sesClient,
    domain,
    deps,
    run: (at, mailer) => runRetentionJob(deps(mailer), new Date(at)),
    async enrol(memberId, at, profile = {}) {
      const { state } = enrolMember(memberId, at, program);
      await members.createMember(memberId, state as Stored);
      await members.mergeProfile(memberId, {
        fields: {
          email: `${memberId}@${domain}`,
          locale: "en",
          timeZone: "Europe/Paris",
          consent: { email: true, sms: false, push: false },
          profile: { givenName: `Name-${memberId}` },
          ...profile,
        },
        changedAt: at,
      });
    },
    async purchase(memberId, at, totalMinor, category = "grocery") {
      const facts = {
        sourceKey: `purchase:test:${memberId}:${at}`,
        orderId: `${memberId}-${at}`,
        channel: "pos" as const,
        storeId: "1",
        occurredAt: at,
        currency: "EUR",
        minorUnitsPerMajor: 100,
        lines: [{ sku: "SKU-1", category, quantity: 1, unitPriceMinor: totalMinor }],
        discountMinor: 0,
        totalMinor,
      };
      let moved = false;
      await withOptimisticRetry(async () => {
        const previous = await members.getMember<Stored>(memberId);
        if (!previous) throw new Error(`${memberId} is not enrolled`);
        const result = applyPurchase(previous.state, program, facts, { now: at });
        moved = result.state.retention.dueOn !== previous.state.retention.dueOn;
        return members.commit({
          memberId,
          previous,
          nextState: result.state as Stored,
          entries: result.entries as never[],
          sourceKey: facts.sourceKey,
          payload: "same",
        });
      });
      return moved;
    },
    async emails() {
      const response = await fetch(`${sesEndpoint}/store`);
      const { emails } = (await response.json()) as { emails: StoredEmail[] };
      return emails.filter((e) => e.destination.to.some((to) => to.endsWith(`@${domain}`)));
    },
    async close() {
      sesClient.destroy();
      client.destroy();
      await table.drop();
    },
  };
}

export const memberOf = (email: StoredEmail): string => (email.destination.to[0] ?? "").split("@")[0] ?? "";
export const header = (email: StoredEmail, name: string): string | undefined =>
  email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
