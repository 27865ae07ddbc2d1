import type { Program } from "../../domain";
import { recordBirthday } from "../../domain/member/retention-facts";
import { copyData } from "../../domain/plain-data";
import { utcDay } from "../../domain/time";
import { withOptimisticRetry } from "../adapters/dynamo/optimistic-retry";
import type { PipelineDeps, StoredState } from "./ports";

/**
 * Copies a profile birthday into the member's state as its month-day, which the birthday trigger reads (the
 * full date stays on the PROFILE item). A state-only write under the version condition: the birthday moves no
 * points, so there is no ledger entry. Nothing to do before the member's state exists: the enrolment syncs it.
 */
export async function syncBirthday(
  deps: Pick<PipelineDeps, "members" | "clock" | "retry">,
  memberId: string,
  program: Program,
  birthday: string,
): Promise<void> {
  await withOptimisticRetry(async () => {
    const previous = await deps.members.getMember<StoredState>(memberId);
    if (!previous) return { outcome: "absent" as const };
    const state = copyData(previous.state);
    if (!recordBirthday(state, program, birthday, utcDay(deps.clock())))
      return { outcome: "unchanged" as const };
    return deps.members.putState({ memberId, previous, nextState: state });
  }, deps.retry);
}
