import { SESv2Client } from "@aws-sdk/client-sesv2";
import { applyPurchase, enrolMember, type MemberState } from "../../../domain";
import { exampleProgram } from "../../../domain/program/example-program";
import { isInHoldout } from "../../../domain/retention/holdout";
import { tableEventParking } from "../../../functions/adapters/bus/parked-events";
import { createDynamoClient } from "../../../functions/adapters/dynamo/client";
import {
  createMemberRepository,
  type MemberRepository,
} from "../../../functions/adapters/dynamo/member-repository";
import { createSesMailer } from "../../../functions/adapters/ses/mailer";
import { createTokenSigner } from "../../../functions/http/signed-token";
import { createMessageStore } from "../../../functions/retention/message-store";
import { runRetentionJob } from "../../../functions/retention/run-retention-job";
import { createLogger } from "../../../functions/shared/logger";
import { LOCAL_SIGNING_SECRET } from "../../../scripts/local/http-api/local-jwt";
import { listSentEmails, type StoredEmail } from "../../../scripts/local/ses-local";
import type { PlatformEnv } from "./platform-env";

// Real retention e-mail for the browser tests: members who bought once, 45 days before the run, are at risk
// under the example program's 30-day default rhythm; the real retention job mails them the at-risk nudge
// through aws-ses-v2-local, with unsubscribe links to the running local API signed with its secret.

const DAY = 86_400_000;
type Stored = MemberState & Record<string, unknown>;

export interface MailedMember {
  memberId: string;
  email: StoredEmail;
}

/** Yesterday 10:00 UTC: after the hour the job reads due members, and well within the links' validity. */
function runTime(): Date {
  const today = Math.floor(Date.now() / DAY) * DAY;
  return new Date(today - DAY + 10 * 3_600_000);
}

/** A member id `prefix-<n>` outside the program's holdout group, which gets no e-mail by design. */
function mailableId(prefix: string): string {
  const { percent, salt } = exampleProgram.retention.holdout;
  const id = Array.from({ length: 100 }, (_, i) => `${prefix}-${i}`).find(
    (m) => !isInHoldout(m, percent, salt),
  );
  if (!id) throw new Error(`every ${prefix}-<n> is in the holdout group`);
  return id;
}

async function enrolBuyer(
  members: MemberRepository,
  member: { memberId: string; locale: string; givenName: string; enrolledAt: Date; boughtAt: Date },
) {
  const { state } = enrolMember(member.memberId, member.enrolledAt, exampleProgram);
  await members.createMember(member.memberId, state as Stored);
  await members.mergeProfile(member.memberId, {
    fields: {
      email: `${member.memberId}@browser.test`,
      locale: member.locale,
      timeZone: "Europe/Paris",
      consent: { email: true, sms: false, push: false },
      profile: { givenName: member.givenName },
    },
    changedAt: member.enrolledAt.toISOString(),
  });
  const at = member.boughtAt.toISOString();
  const previous = await members.getMember<Stored>(member.memberId);
  if (!previous) throw new Error(`${member.memberId} was not stored`);
  const purchase = {
    sourceKey: `purchase:retail.pos.browser:${member.memberId}`,
    orderId: `order-${member.memberId}`,
    channel: "pos" as const,
    storeId: "browser",
    occurredAt: at,
    currency: "EUR",
    minorUnitsPerMajor: 100,
    lines: [{ sku: "SKU-1", category: "grocery", quantity: 1, unitPriceMinor: 4200 }],
    discountMinor: 0,
    totalMinor: 4200,
  };
  const result = applyPurchase(previous.state, exampleProgram, purchase, { now: at });
  await members.commit({
    memberId: member.memberId,
    previous,
    nextState: result.state as Stored,
    entries: result.entries as never[],
    sourceKey: purchase.sourceKey,
    payload: "browser-test",
  });
}

/** Enrols one at-risk member per locale, runs the retention job once and returns each member's e-mail. */
export async function mailAtRiskMembers(
  env: PlatformEnv,
  locales: readonly string[],
): Promise<MailedMember[]> {
  const at = runTime();
  const client = createDynamoClient({ endpoint: env.dynamoEndpoint, maxAttempts: 3 });
  const ses = new SESv2Client({
    endpoint: env.sesEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const members = createMemberRepository({ client, tableName: env.tableName, clock: () => at });
    const ids = locales.map((locale) => mailableId(`browser-${locale}`));
    for (const [i, locale] of locales.entries()) {
      await enrolBuyer(members, {
        memberId: ids[i] as string,
        locale,
        givenName: `Reader ${i + 1}`,
        enrolledAt: new Date(at.getTime() - 46 * DAY),
        boughtAt: new Date(at.getTime() - 45 * DAY + 2 * 3_600_000),
      });
    }
    const report = await runRetentionJob(
      {
        members,
        messages: createMessageStore({ client, tableName: env.tableName }),
        programs: { inEffectAt: async () => exampleProgram },
        mailer: createSesMailer({ client: ses, senderAddress: "loyalty@patron.local" }),
        // The job's outbound events are not what these tests look at.
        publisher: { publish: async (batch) => ({ published: batch.length, failed: [] }) },
        parking: tableEventParking({ client, tableName: env.tableName }),
        signer: createTokenSigner(LOCAL_SIGNING_SECRET),
        publicApiUrl: env.apiUrl,
        logger: createLogger({ logLevel: "ERROR" }),
      },
      at,
    );
    const sent = await listSentEmails(env.sesEndpoint);
    return ids.map((memberId) => {
      const email = sent.find((e) => e.destination.to.includes(`${memberId}@browser.test`));
      if (!email) throw new Error(`no e-mail to ${memberId}; job report ${JSON.stringify(report)}`);
      return { memberId, email };
    });
  } finally {
    ses.destroy();
    client.destroy();
  }
}
