import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { signLocalToken } from "../local/http-api/local-jwt";
import { listSentEmails, type StoredEmail } from "../local/ses-local";
import {
  type DemoMember,
  type DemoStory,
  daytimeZone,
  demoStory,
  enrolmentEntry,
  purchaseEntry,
  purchaseSource,
} from "./demo-story";

// Plays the demo story (demo-story.ts) on a running platform from the outside, as producers and users would:
// events through the bus with the real EventBridge client, reads through the HTTP API with local tokens, the
// retention job through the local job endpoint — for the lapsing member only (`?member=`), as of now, so the
// shared platform's schedule (its finished due days) is left alone — and the e-mail from SES local's store.

export interface DemoUrls {
  api: string;
  bus: string;
  ses: string;
}

export interface DemoOptions {
  urls: DemoUrls;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** How long to wait for the platform to process each step (default 20 s). */
  stepTimeoutMs?: number;
}

export interface DemoResult {
  story: DemoStory;
  purchasesSent: number;
  upgraded: { memberId: string; tierName: string };
  punchCard: { memberId: string; summary: string };
  /** The win-back e-mail in SES local's inbox (absent when an earlier run sent it and the inbox was reset). */
  winBack?: { to: string; subject: string };
  retentionReport: Record<string, unknown>;
}

const LOCAL_AWS = { region: "us-east-1", credentials: { accessKeyId: "demo", secretAccessKey: "demo" } };

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { urls } = options;
  const log = options.log ?? (() => {});
  const timeoutMs = options.stepTimeoutMs ?? 20_000;
  const now = new Date();
  const story = demoStory(daytimeZone(now));
  const bus = new EventBridgeClient({ endpoint: urls.bus, ...LOCAL_AWS });
  const api = apiClient(urls.api);
  try {
    await put(
      bus,
      story.members.map((member) => enrolmentEntry(member, now)),
    );
    for (const member of story.members)
      await waitFor(`the enrolment of ${member.memberId}`, timeoutMs, () => api.hasProfile(member.memberId));
    log(`enrolled ${story.members.map((m) => m.memberId).join(", ")} (Member Enrolled, through the bus)`);

    // One member's purchases in order, each awaited: rhythm and streaks follow the order purchases arrive in.
    await Promise.all(story.members.map((member) => sendPurchases(bus, api, member, now, timeoutMs)));
    const purchasesSent = story.members.reduce((sum, m) => sum + m.purchases.length, 0);
    log(`sent ${purchasesSent} purchases from the last four weeks (Purchase Completed, through the bus)`);

    const upgraded = await api.me(story.upgradedMemberId);
    const ben = await api.me(story.punchCardMemberId);
    const card = ben.frequency.punchCards[0];
    if (!card) throw new Error("the program has no punch card to show");

    const retentionReport = await api.checkMembers([story.lapsingMemberId]);
    const lapsing = story.members.find((m) => m.memberId === story.lapsingMemberId) as DemoMember;
    const winBack = (await listSentEmails(urls.ses)).find((e: StoredEmail) =>
      e.destination.to.includes(lapsing.email),
    );
    return {
      story,
      purchasesSent,
      upgraded: { memberId: story.upgradedMemberId, tierName: upgraded.tier.tierName },
      punchCard: { memberId: story.punchCardMemberId, summary: card.summary },
      ...(winBack && { winBack: { to: lapsing.email, subject: winBack.subject } }),
      retentionReport,
    };
  } finally {
    bus.destroy();
  }
}

async function put(bus: EventBridgeClient, entries: PutEventsRequestEntry[]): Promise<void> {
  const response = await bus.send(new PutEventsCommand({ Entries: entries }));
  if (response.FailedEntryCount) {
    const failed = response.Entries?.find((e) => e.ErrorCode);
    throw new Error(`the bus refused an event: ${failed?.ErrorCode} ${failed?.ErrorMessage}`);
  }
}

async function sendPurchases(
  bus: EventBridgeClient,
  api: ReturnType<typeof apiClient>,
  member: DemoMember,
  now: Date,
  timeoutMs: number,
): Promise<void> {
  for (const purchase of member.purchases) {
    await put(bus, [purchaseEntry(member, purchase, now)]);
    const entryId = `earn:purchase:${purchaseSource(purchase)}:${purchase.orderId}`;
    await waitFor(`purchase ${purchase.orderId} in ${member.memberId}'s ledger`, timeoutMs, () =>
      api.hasLedgerEntry(member.memberId, entryId),
    );
  }
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; the event may have been rejected — see the platform's log and ` +
          "the bus's /dead-letters",
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface MeView {
  tier: { tierName: string };
  frequency: { punchCards: { summary: string }[] };
}

function apiClient(base: string) {
  const get = async (path: string, role: { member: string } | { marketer: string }) => {
    const token = await signLocalToken(role);
    return fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  };
  return {
    async hasProfile(memberId: string): Promise<boolean> {
      const response = await get(`/members/${memberId}`, { marketer: "patron-demo" });
      if (!response.ok) return false;
      const body = (await response.json()) as { profile?: Record<string, unknown> };
      return body.profile?.email !== undefined;
    },
    async hasLedgerEntry(memberId: string, entryId: string): Promise<boolean> {
      const response = await get("/me/ledger?limit=100", { member: memberId });
      if (!response.ok) return false;
      const body = (await response.json()) as { entries: { entryId: string }[] };
      return body.entries.some((e) => e.entryId === entryId);
    },
    async me(memberId: string): Promise<MeView> {
      const response = await get("/me", { member: memberId });
      if (!response.ok) throw new Error(`GET /me for ${memberId} answered ${response.status}`);
      return (await response.json()) as MeView;
    },
    /** The retention job for these members only, as of the platform's now (run-request.ts). */
    async checkMembers(memberIds: string[]): Promise<Record<string, unknown>> {
      const query = memberIds.map((id) => `member=${encodeURIComponent(id)}`).join("&");
      const response = await fetch(`${base}/_local/jobs/retention-job?${query}`, { method: "POST" });
      const body = (await response.json()) as { report?: Record<string, unknown>; error?: string };
      if (!response.ok || !body.report)
        throw new Error(`the retention job failed: ${body.error ?? `HTTP ${response.status}`}`);
      return body.report;
    },
  };
}
