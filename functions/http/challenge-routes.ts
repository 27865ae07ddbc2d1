import {
  CHALLENGE_OPT_IN,
  type OptInRefusal,
  optInRefusal,
} from "../../domain/challenges/challenge-progress";
import { applyInteraction } from "../../domain/member/apply-interaction";
import { settleMember } from "../../domain/member/lifecycle";
import { toIsoInstant } from "../../domain/time";
import { challengeIdParamsSchema, challengeOptInSchema } from "./challenge-schemas";
import { ConflictError, type HttpError, NotFoundError, UnprocessableError } from "./http-errors";
import { changeMember, type HttpApiDeps } from "./member-access";
import { defineRoute, Reply, type Route } from "./route";

// POST /me/challenges/{challengeId}/opt-in: the same domain path as an `Interaction Recorded` of kind
// challenge-opt-in (applyInteraction), through the same runner. Its business key is member + challenge, so
// an opt-in is once for ever: a retry replays the first answer (200), whatever time it comes.

const REFUSALS: Record<OptInRefusal, (id: string) => HttpError> = {
  "unknown-challenge": (id) => new NotFoundError(`No challenge ${id} in the program in effect`),
  "already-joined": (id) =>
    new ConflictError(`You have already joined challenge ${id}`, "challenge-already-joined"),
  "already-completed": (id) =>
    new ConflictError(`You have already completed challenge ${id}`, "challenge-completed"),
  "no-opt-in": (id) =>
    new UnprocessableError(
      `Challenge ${id} needs no opt-in: your events count on their own`,
      "challenge-no-opt-in",
    ),
  "not-open": (id) =>
    new UnprocessableError(`Challenge ${id} is not open for opt-ins now`, "challenge-not-open"),
  "not-in-audience": (id) =>
    new UnprocessableError(`Challenge ${id} is not open to you`, "challenge-not-in-audience"),
};

export function challengeRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "POST",
      path: "/me/challenges/{challengeId}/opt-in",
      operationId: "optInToChallenge",
      summary: "Opt in to a challenge; its window starts now for a rolling challenge",
      description:
        "Once per member and challenge, for ever: a repeated request answers the first opt-in again (header " +
        "`idempotent-replayed`). Progress and deadline then appear in GET /me.",
      access: "member",
      params: challengeIdParamsSchema,
      response: { status: 201, description: "The opt-in", schema: challengeOptInSchema },
      problems: [404, 409, 422, 503],
      handle: async ({ principal, params, now }) => {
        const { challengeId } = params;
        const memberId = principal.memberId;
        const sourceKey = `challenge-opt-in:${memberId}:${challengeId}`;
        const at = toIsoInstant(now);
        const change = await changeMember(deps, {
          memberId,
          sourceKey,
          request: { challengeId },
          now,
          run: (state, program) => {
            const refusal = optInRefusal(settleMember(state, program, now).state, program, challengeId, at);
            if (refusal) throw REFUSALS[refusal](challengeId);
            const facts = {
              sourceKey,
              interactionId: `opt-in-${challengeId}`,
              kind: CHALLENGE_OPT_IN,
              occurredAt: at,
              attributes: { challengeId },
            };
            return applyInteraction(state, program, facts, { now });
          },
          answer: (result) => {
            const joined = result.state.challenges?.active.find((a) => a.challengeId === challengeId);
            const entry = result.entries.find((e) => e.kind === "interaction");
            if (!joined || !entry) throw new Error("opt-in committed without joining the challenge");
            return {
              challengeId,
              startsAt: joined.startsAt,
              deadline: joined.endsAt,
              ledgerEntryId: entry.entryId,
            };
          },
        });
        const replayed = change.outcome === "replayed";
        return new Reply(change.answer, 201, replayed ? { "idempotent-replayed": "true" } : {});
      },
    }),
  ];
}
