import { useFieldArray, useFormContext, useWatch } from "react-hook-form";
import type { ProgramInput } from "../../../domain/program/program-schema";
import { AddButton, LinesField, NumberField, Row, TextField } from "./fields";

/** Coalition partners: brands whose purchases earn the same points, and what each pays and is paid per point. */
export function PartnersSection() {
  const { control } = useFormContext<ProgramInput>();
  const { fields, append, remove } = useFieldArray({ control, name: "partners" });
  const partners = useWatch({ control, name: "partners" }) ?? [];
  return (
    <section className="card" aria-labelledby="program-partners">
      <h2 id="program-partners">Partners</h2>
      <p>Prices are per point in millionths of a minor unit: 800000 is 0.8 cent.</p>
      {fields.map((field, i) => {
        const at = `partners.${i}`;
        const row = partners[i]?.name || `Partner ${i + 1}`;
        return (
          <Row key={field.id} legend={row} onRemove={() => remove(i)}>
            <TextField name={`${at}.name`} label="Name" row={row} />
            <TextField name={`${at}.id`} label="Partner id" row={row} />
            <TextField name={`${at}.earn.ruleId`} label="Earn rule id" row={row} />
            <NumberField name={`${at}.earn.pointsPerUnit`} label="Points per unit" row={row} step="any" />
            <NumberField name={`${at}.issuePriceMicros`} label="Issue price" row={row} step="1" />
            <NumberField name={`${at}.redeemPriceMicros`} label="Redeem price" row={row} step="1" />
            <LinesField name={`${at}.sources`} label="Sources (one per line)" row={row} />
          </Row>
        );
      })}
      <AddButton
        label="Add partner"
        onAdd={() =>
          append({
            id: "",
            name: "",
            earn: { ruleId: "", pointsPerUnit: 1 },
            issuePriceMicros: 0,
            redeemPriceMicros: 0,
            sources: [],
          })
        }
      />
    </section>
  );
}
