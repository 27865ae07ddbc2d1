import { LinesField, NumberField, SelectField, TextField } from "./fields";

/** Name, currency, the category list every rule draws from, membership, expiry and refunds. */
export function GeneralSection() {
  return (
    <section className="card" aria-labelledby="program-general">
      <h2 id="program-general">General</h2>
      <div className="grid">
        <TextField name="name" label="Program name" />
        <TextField name="currency" label="Currency" hint="ISO 4217 code, e.g. EUR" />
        <SelectField
          name="membership.unknownMemberPolicy"
          label="Unknown members"
          options={["auto-enrol", "reject"]}
          hint="What an event for a member who is not enrolled does"
        />
        <NumberField
          name="expiry.validityMonths"
          label="Points expire after (months)"
          step="1"
          hint="Calendar months after the day they were earned"
        />
        <SelectField
          name="refunds.whenPointsSpent"
          label="Refund of spent points"
          options={["claw-back", "allow-negative"]}
        />
        <LinesField name="categories" label="Categories (one per line)" />
      </div>
    </section>
  );
}
