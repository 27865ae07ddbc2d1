import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import type { PlatformEnv } from "./platform-env";

// Events for the browser tests, sent as producers send them: the real EventBridge client against the platform's
// bus, where the access key id names the caller. Enrolments come from the web shop with an operator's key (no
// till may enrol members); purchases from a till with the POS producer's key.

async function put(env: PlatformEnv, accessKeyId: string, entries: PutEventsRequestEntry[]): Promise<void> {
  const client = new EventBridgeClient({
    endpoint: env.busUrl,
    region: "eu-west-1",
    credentials: { accessKeyId, secretAccessKey: accessKeyId },
  });
  try {
    // PutEvents takes at most 10 entries per call.
    for (let i = 0; i < entries.length; i += 10) {
      const result = await client.send(new PutEventsCommand({ Entries: entries.slice(i, i + 10) }));
      if (result.FailedEntryCount)
        throw new Error(
          `the bus refused ${result.FailedEntryCount} entries: ${JSON.stringify(result.Entries)}`,
        );
    }
  } finally {
    client.destroy();
  }
}

export interface Enrolment {
  memberId: string;
  email: string;
  occurredAt: string;
  consent?: { email: boolean; sms: boolean; push: boolean };
  profile?: { givenName?: string; familyName?: string };
  /** Another member's code (GET /me/referral) the customer joins with. */
  referralCode?: string;
}

export async function enrolMembers(env: PlatformEnv, members: readonly Enrolment[]): Promise<void> {
  await put(
    env,
    "operator",
    members.map((m) => ({
      Source: "retail.web.shop",
      DetailType: "Member Enrolled",
      Detail: JSON.stringify({
        schemaVersion: "1",
        memberId: m.memberId,
        occurredAt: m.occurredAt,
        email: m.email,
        locale: "en-IE",
        timeZone: "Europe/Dublin",
        consent: m.consent ?? { email: false, sms: false, push: false },
        ...(m.profile && { profile: m.profile }),
        ...(m.referralCode && { referralCode: m.referralCode }),
        channel: "web",
      }),
    })),
  );
}

export interface Purchase {
  memberId: string;
  orderId: string;
  occurredAt: string;
  /** One line of `quantity` × `unitPrice` (minor units, EUR). */
  line: { sku: string; category: string; quantity: number; unitPrice: number };
  /** Offer codes the till took with the order. */
  offerCodes?: string[];
}

export async function sendPurchases(env: PlatformEnv, purchases: readonly Purchase[]): Promise<void> {
  await put(
    env,
    "pos",
    purchases.map((p) => ({
      Source: "retail.pos.store-042",
      DetailType: "Purchase Completed",
      Detail: JSON.stringify({
        schemaVersion: "1",
        orderId: p.orderId,
        memberId: p.memberId,
        channel: "pos",
        storeId: "store-042",
        occurredAt: p.occurredAt,
        currency: "EUR",
        lines: [p.line],
        discountTotal: 0,
        total: p.line.quantity * p.line.unitPrice,
        ...(p.offerCodes && { offerCodes: p.offerCodes }),
      }),
    })),
  );
}
