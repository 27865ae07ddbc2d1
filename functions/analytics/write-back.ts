import type { MemberScores } from "../../domain/member/member-state";
import type { AnalyticsStore, ScannedMember } from "./analytics-store";
import { sameInputs } from "./member-inputs";

// Writes the changed scores, `concurrency` UpdateItems at a time. Each write is conditioned on the version the
// scan saw. When a member changed meanwhile (an event was committed), the member is read again: if the change
// left the model inputs alone (points, tier, a profile-free interaction…) the same scores are written under the
// new version; if the member bought something, tonight's scores are already stale and the member is skipped
// until the next run. Either way the event's commit is kept, never overwritten.

const MAX_ATTEMPTS = 3;

export interface ScoreChange {
  member: ScannedMember;
  scores: MemberScores;
  /** Why the stored scores are replaced (see score-change.ts). */
  reason: string;
}

export interface WriteCounts {
  written: number;
  /** Members that changed during the run in a way that affects their scores; scored next run. */
  skipped: number;
  /** Conditional writes that found a newer version. */
  conflicts: number;
  writesByReason: Record<string, number>;
}

export async function writeChangedScores(
  store: AnalyticsStore,
  changes: readonly ScoreChange[],
  options: { concurrency: number; onProgress?: (written: number) => void },
): Promise<WriteCounts> {
  const counts: WriteCounts = { written: 0, skipped: 0, conflicts: 0, writesByReason: {} };

  async function writeOne({ member, scores, reason }: ScoreChange): Promise<void> {
    let version = member.version;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if ((await store.updateScores(member.memberId, version, scores)) === "updated") {
        counts.written++;
        counts.writesByReason[reason] = (counts.writesByReason[reason] ?? 0) + 1;
        options.onProgress?.(counts.written);
        return;
      }
      counts.conflicts++;
      const current = await store.getMember(member.memberId);
      if (!current || !sameInputs(current.inputs, member.inputs)) break;
      version = current.version;
    }
    counts.skipped++;
  }

  let next = 0;
  const worker = async () => {
    while (next < changes.length) {
      const change = changes[next++] as ScoreChange;
      await writeOne(change);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return counts;
}
