import type { MemberState, Program } from "../../domain";
import { settleMember } from "../../domain";
import type { OfferInMessage } from "../../domain/offers/offer-instance";
import { deliver } from "./deliver";
import { count, type JobReport } from "./job-report";
import { profileView } from "./profile-view";
import { publish } from "./publish-events";
import type { RetentionJobDeps } from "./run-retention-job";

// Owed messages (claimed by a run that died, throttled, or scheduled after quiet hours) whose time has come.
// Each is leased with a conditional update before the attempt, so two runs never send the same one.

const PAGE = 100;
const LEASE_MS = 15 * 60_000;

export async function sweepOwedMessages(
  deps: RetentionJobDeps,
  program: Program,
  report: JobReport,
  now: Date,
): Promise<void> {
  const nowIso = now.toISOString();
  const leaseUntil = new Date(now.getTime() + (deps.leaseMs ?? LEASE_MS)).toISOString();
  // Every attempt moves its entry past `now`, so each page holds only messages not yet tried in this run.
  for (let page = await deps.messages.dueRetries(nowIso, PAGE); page.length > 0; ) {
    for (const owed of page) {
      if (!(await deps.messages.lease(owed.memberId, owed.messageKey, owed.sk, leaseUntil))) continue;
      const [message, snapshot, profile] = await Promise.all([
        deps.messages.getMessage(owed.memberId, owed.messageKey),
        deps.members.getMember<MemberState & Record<string, unknown>>(owed.memberId),
        deps.members.getProfile(owed.memberId),
      ]);
      if (!message || !snapshot) {
        await deps.messages.markDropped(owed.memberId, owed.messageKey, "member or message gone");
        continue;
      }
      report.retried += 1;
      const sent = await deliver(deps, {
        state: settleMember(snapshot.state, program, now).state,
        program,
        profile: profileView(profile),
        memberId: owed.memberId,
        messageKey: owed.messageKey,
        trigger: message.trigger,
        ...(message.offer && { offer: message.offer as unknown as OfferInMessage }),
        attempts: message.attempts,
        now,
      });
      count(report, sent.outcome);
      await publish(deps, program, sent.events, now);
    }
    page = page.length < PAGE ? [] : await deps.messages.dueRetries(nowIso, PAGE);
  }
}
