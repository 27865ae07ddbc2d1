import { Fragment } from "react";
import { formatDay, formatInteger } from "../format";
import type { Member360 } from "./member-view";

// The member's challenges (completed, in progress with their deadline, open to them) and permanent badges,
// as GET /me shows them to the member.

export function ChallengesCard({ summary }: { summary: Member360["summary"] }) {
  const { challenges, badges } = summary;
  return (
    <section className="card" aria-labelledby="challenges-heading">
      <h3 id="challenges-heading">Challenges and badges</h3>
      <dl className="facts facts-wide">
        <dt>Badges</dt>
        <dd data-testid="badges">
          {badges.length === 0
            ? "None yet"
            : badges.map((b) => `${b.name} (${formatDay(b.awardedOn)})`).join(", ")}
        </dd>
        {challenges.length === 0 ? (
          <>
            <dt>Challenges</dt>
            <dd>None open to this member</dd>
          </>
        ) : (
          challenges.map((c) => (
            <Fragment key={c.challengeId}>
              <dt>{c.name}</dt>
              <dd>
                {c.status === "completed"
                  ? "Completed"
                  : `${c.status === "in-progress" ? "In progress" : "Open"}: ${formatInteger(c.progress)} of ${formatInteger(c.target)}`}
                {c.status !== "completed" && c.deadline && `, until ${formatDay(c.deadline)}`}
                {c.status === "available" && c.optIn && " (opt-in)"}
              </dd>
            </Fragment>
          ))
        )}
      </dl>
    </section>
  );
}
