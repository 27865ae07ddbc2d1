import { useEffect, useRef, useState } from "react";
import type { ProgramInput } from "../../../domain/program/program-schema";
import { unwrap } from "../api/client";
import type { components } from "../api/openapi";
import { ApiErrorAlert } from "../components/api-error-alert";
import { useApi } from "../console-context";
import { showEmail } from "./show-email";
import "./email-preview.css";

// Any retention e-mail for a sample member, in English or German, as the renderer sends it
// (POST /program/preview-email): with the draft's branding when there is a draft, else the program in effect.

type Request = components["schemas"]["PreviewEmailRequest"];
type Email = components["schemas"]["PreviewEmailResponse"];
type Trigger = Request["trigger"];

const TRIGGERS = {
  "win-back": "Win-back (last step)",
  "at-risk-nudge": "At-risk nudge",
  "points-expiring": "Points expiring",
  "tier-downgrade-warning": "Tier downgrade warning",
  "service-recovery": "Service recovery",
  birthday: "Birthday",
  milestone: "Milestone",
} satisfies Record<Trigger, string>;

const LANGUAGES = { en: "English", de: "German" } as const;

const WARNINGS = {
  "postal-address-missing":
    "No postal address: US bulk-sender rules (CAN-SPAM) require the sender's postal address in every marketing e-mail. Set branding.postalAddress.",
  "shop-url-missing": "No shop URL: the e-mail has no call-to-action button. Set branding.shopUrl.",
} satisfies Record<Email["warnings"][number], string>;

type Query = { status: "loading" } | { status: "error"; error: unknown } | { status: "done"; email: Email };

export function EmailPreview({ program }: { program: ProgramInput | undefined }) {
  const api = useApi();
  const [trigger, setTrigger] = useState<Trigger>("win-back");
  const [locale, setLocale] = useState<keyof typeof LANGUAGES>("en");
  const [query, setQuery] = useState<Query>({ status: "loading" });

  useEffect(() => {
    let current = true;
    setQuery({ status: "loading" });
    api
      .POST("/program/preview-email", { body: { trigger, locale, ...(program && { program }) } })
      .then(unwrap)
      .then(
        (email) => current && setQuery({ status: "done", email }),
        (error: unknown) => current && setQuery({ status: "error", error }),
      );
    return () => {
      current = false;
    };
  }, [api, program, trigger, locale]);

  return (
    <section aria-labelledby="email-heading" className="card email-preview">
      <h2 id="email-heading">E-mail</h2>
      <p>
        A retention e-mail for a sample member, with {program ? "your draft's" : "the program's"} branding and
        a sample offer code.
      </p>
      <div className="email-choices">
        <div>
          <label htmlFor="email-trigger">Trigger</label>
          <select id="email-trigger" value={trigger} onChange={(e) => setTrigger(e.target.value as Trigger)}>
            {Object.entries(TRIGGERS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="email-language">Language</label>
          <select
            id="email-language"
            value={locale}
            onChange={(e) => setLocale(e.target.value as keyof typeof LANGUAGES)}
          >
            {Object.entries(LANGUAGES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {query.status === "loading" && <p aria-live="polite">Rendering the e-mail…</p>}
      {query.status === "error" && <ApiErrorAlert error={query.error} />}
      {query.status === "done" && <RenderedEmail email={query.email} />}
    </section>
  );
}

function RenderedEmail({ email }: { email: Email }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (host.current) showEmail(host.current, email.html);
  }, [email]);

  return (
    <>
      {email.warnings.length > 0 && (
        <div role="alert" className="email-warnings">
          <strong>Fix before sending</strong>
          <ul>
            {email.warnings.map((w) => (
              <li key={w}>{WARNINGS[w]}</li>
            ))}
          </ul>
        </div>
      )}
      <p>
        <strong>Subject:</strong> <span data-testid="email-subject">{email.subject}</span>
      </p>
      <div ref={host} className="email-frame" data-testid="email-body" />
      <p className="hint">
        Remote images such as the logo are not loaded here; their alt text shows instead.
      </p>
      <details>
        <summary>Plain-text part</summary>
        <pre className="email-text">{email.text}</pre>
      </details>
    </>
  );
}
