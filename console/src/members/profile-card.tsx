// The member's profile as stored: contact data, locale and time zone, and the consent per channel. The API
// passes the stored profile through as it is, so every field is read defensively.

const CHANNELS = ["email", "sms", "push"] as const;

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;
const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};

export function ProfileCard({ profile }: { profile: Record<string, unknown> }) {
  const names = record(profile.profile);
  const name = [text(names.givenName), text(names.familyName)].filter(Boolean).join(" ");
  const consent = record(profile.consent);
  return (
    <section className="card" aria-labelledby="profile-heading">
      <h3 id="profile-heading">Profile and consent</h3>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{name || "—"}</dd>
        <dt>E-mail</dt>
        <dd>{text(profile.email) ?? "—"}</dd>
        <dt>Locale / time zone</dt>
        <dd>
          {text(profile.locale) ?? "—"} / {text(profile.timeZone) ?? "—"}
        </dd>
        {text(profile.birthday) && (
          <>
            <dt>Birthday</dt>
            <dd>{text(profile.birthday)}</dd>
          </>
        )}
        <dt>Consent</dt>
        <dd>
          <ul className="consent">
            {CHANNELS.map((channel) => (
              <li key={channel}>
                {channel === "email" ? "E-mail" : channel === "sms" ? "SMS" : "Push"}:{" "}
                {consent[channel] === true ? "yes" : consent[channel] === false ? "no" : "not given"}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
    </section>
  );
}
