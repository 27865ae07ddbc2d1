import { useFieldArray, useFormContext, useWatch } from "react-hook-form";
import type { ProgramInput } from "../../../domain/program/program-schema";
import { AddButton, LinesField, NumberField, Row, SelectField, TextField } from "./fields";

/**
 * How tiers are earned and kept, and the tiers from lowest to highest. Each tier's fields are named after it:
 * the threshold of the tier named Gold is "Gold threshold", inside a group named "Gold".
 */
export function TiersSection() {
  const { control } = useFormContext<ProgramInput>();
  const { fields, append, remove } = useFieldArray({ control, name: "tiers" });
  const tiers = useWatch({ control, name: "tiers" }) ?? [];
  return (
    <section className="card" aria-labelledby="program-tiers">
      <h2 id="program-tiers">Tiers</h2>
      <Qualification />
      <h3>Tiers, lowest first</h3>
      {fields.map((field, i) => {
        const at = `tiers.${i}`;
        const row = tiers[i]?.name || `Tier ${i + 1}`;
        return (
          <Row key={field.id} legend={row} onRemove={() => remove(i)}>
            <TextField name={`${at}.name`} label="Name" row={row} />
            <NumberField
              name={`${at}.threshold`}
              label="Threshold"
              row={row}
              step="1"
              hint={i === 0 ? "The first tier starts at 0" : "Greater than the tier below"}
            />
            <NumberField name={`${at}.earnMultiplier`} label="Earn multiplier" row={row} />
            <TextField name={`${at}.id`} label="Tier id" row={row} />
            <LinesField name={`${at}.perks`} label="Perks (one per line)" row={row} />
          </Row>
        );
      })}
      <AddButton
        label="Add tier"
        onAdd={() =>
          append({ id: "", name: "", threshold: nextThreshold(tiers), earnMultiplier: 1, perks: [] })
        }
      />
    </section>
  );
}

function nextThreshold(tiers: readonly ({ threshold?: number } | undefined)[]): number {
  const last = tiers.at(-1)?.threshold;
  return typeof last === "number" && Number.isFinite(last) ? last + 1000 : 0;
}

function Qualification() {
  const { control, setValue } = useFormContext<ProgramInput>();
  const window = useWatch({ control, name: "tierQualification.window" });
  return (
    <div className="grid">
      <SelectField
        name="tierQualification.metric"
        label="Qualifying metric"
        options={["statusPoints", "qualifyingSpend"]}
      />
      <NumberField
        name="tierQualification.statusPointsPerUnit"
        label="Status points per currency unit"
        hint="Promotions and tier multipliers never apply"
      />
      <div className="field">
        <label htmlFor="qualification-window">Qualification window</label>
        <select
          id="qualification-window"
          value={window?.type ?? "rolling"}
          onChange={(event) =>
            setValue(
              "tierQualification.window",
              event.target.value === "calendarYear"
                ? { type: "calendarYear" }
                : { type: "rolling", months: 12 },
              { shouldDirty: true },
            )
          }
        >
          <option value="rolling">Rolling months</option>
          <option value="calendarYear">Calendar year</option>
        </select>
      </div>
      {window?.type === "rolling" && (
        <NumberField name="tierQualification.window.months" label="Window (months)" step="1" />
      )}
      <NumberField
        name="tierQualification.gracePeriodDays"
        label="Grace period (days)"
        step="1"
        hint="Days a member who misses the review keeps the tier"
      />
    </div>
  );
}
