import type { ReactNode } from "react";
import { useFieldArray, useFormContext } from "react-hook-form";
import type { ProgramInput } from "../../../domain/program/program-schema";
import { triggerFamilySchema } from "../../../domain/retention/trigger-family";
import { AddButton, CheckboxField, ChoicesField, NumberField, Row, TextField } from "./fields";
import { OffersEditor } from "./offers-editor";

// Retention e-mails: which triggers fire and when, the win-back journey, offers, the rules every e-mail obeys
// (frequency cap, quiet hours) and the holdout group. Purchase rhythm, lifecycle factors and measurement are kept
// as they are.

const TRIGGERS = triggerFamilySchema.options;
const at = "retention.triggers";

export function RetentionSection() {
  return (
    <section className="card" aria-labelledby="program-retention">
      <h2 id="program-retention">Retention</h2>
      <h3>Triggers</h3>
      <Trigger name="atRiskNudge" title="At-risk nudge" />
      <WinBack />
      <Trigger name="pointsExpiring" title="Points expiring">
        <NumberField
          name={`${at}.pointsExpiring.daysBefore`}
          label="Days before"
          row="Points expiring"
          step="1"
        />
        <NumberField
          name={`${at}.pointsExpiring.minPoints`}
          label="Minimum points"
          row="Points expiring"
          step="1"
        />
      </Trigger>
      <Trigger name="tierWarning" title="Tier warning">
        <NumberField name={`${at}.tierWarning.daysBefore`} label="Days before" row="Tier warning" step="1" />
      </Trigger>
      <Trigger name="serviceRecovery" title="Service recovery">
        <NumberField
          name={`${at}.serviceRecovery.withinDays`}
          label="Within days"
          row="Service recovery"
          step="1"
        />
        <NumberField
          name={`${at}.serviceRecovery.detractorNpsAtMost`}
          label="Detractor NPS at most"
          row="Service recovery"
          step="1"
        />
        <NumberField
          name={`${at}.serviceRecovery.detractorCsatAtMost`}
          label="Detractor CSAT at most"
          row="Service recovery"
          step="1"
        />
        <TextField
          name={`${at}.serviceRecovery.gestureOfferId`}
          label="Gesture offer id (every apology carries it)"
          row="Service recovery"
          optional
        />
      </Trigger>
      <Trigger name="birthday" title="Birthday">
        <NumberField name={`${at}.birthday.daysBefore`} label="Days before" row="Birthday" step="1" />
      </Trigger>
      <Trigger name="milestone" title="Milestone reached">
        <NumberField
          name={`${at}.milestone.withinDays`}
          label="Within days"
          row="Milestone reached"
          step="1"
        />
      </Trigger>
      <OffersEditor />
      <Messaging />
      <Holdout />
    </section>
  );
}

function Trigger(props: { name: string; title: string; children?: ReactNode }) {
  return (
    <fieldset className="row">
      <legend>{props.title}</legend>
      <div className="grid">
        <CheckboxField name={`${at}.${props.name}.enabled`} label="Enabled" row={props.title} />
        {props.children}
      </div>
    </fieldset>
  );
}

function WinBack() {
  const { control } = useFormContext<ProgramInput>();
  const { fields, append, remove } = useFieldArray({ control, name: "retention.triggers.winBack.steps" });
  return (
    <fieldset className="row">
      <legend>Win-back journey</legend>
      <div className="grid">
        <CheckboxField name={`${at}.winBack.enabled`} label="Enabled" row="Win-back" />
        <NumberField
          name={`${at}.winBack.endAfterDays`}
          label="Churned after (days)"
          row="Win-back"
          step="1"
          hint="Days after the last step without a purchase"
        />
      </div>
      {fields.map((field, i) => (
        <Row key={field.id} legend={`Step ${i + 1}`} onRemove={() => remove(i)}>
          <NumberField
            name={`${at}.winBack.steps.${i}.afterDays`}
            label="Days after lapse"
            row={`Step ${i + 1}`}
            step="1"
          />
        </Row>
      ))}
      {fields.length < 6 && (
        <AddButton label="Add win-back step" onAdd={() => append({ afterDays: (fields.length + 1) * 14 })} />
      )}
    </fieldset>
  );
}

function Messaging() {
  return (
    <>
      <h3>Sending rules</h3>
      <div className="grid">
        <NumberField name="retention.messaging.frequencyCap.maxMessages" label="At most (e-mails)" step="1" />
        <NumberField name="retention.messaging.frequencyCap.perDays" label="Per days" step="1" />
        <CheckboxField name="retention.messaging.quietHours.enabled" label="Quiet hours" />
        <NumberField
          name="retention.messaging.quietHours.startHour"
          label="Quiet from (hour)"
          step="1"
          hint="Member's local time, 0–23"
        />
        <NumberField name="retention.messaging.quietHours.endHour" label="Quiet until (hour)" step="1" />
        <TextField
          name="retention.messaging.defaultTimeZone"
          label="Default time zone"
          hint="e.g. Europe/Paris"
        />
        <TextField name="retention.messaging.defaultLocale" label="Default locale" />
      </div>
    </>
  );
}

function Holdout() {
  return (
    <>
      <h3>Holdout</h3>
      <div className="grid">
        <NumberField
          name="retention.holdout.percent"
          label="Holdout (%)"
          hint="Share of members in the control group, at most 50"
        />
        <TextField name="retention.holdout.salt" label="Holdout salt" hint="Changing it draws a new group" />
        <ChoicesField
          name="retention.holdout.appliesTo"
          label="Held out of"
          options={TRIGGERS}
          whenNone="empty"
        />
      </div>
    </>
  );
}
