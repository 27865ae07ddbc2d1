import { useFieldArray, useFormContext, useWatch } from "react-hook-form";
import type { ProgramInput } from "../../../domain/program/program-schema";
import { AddButton, CheckboxField, DateTimeField, NumberField, Row, TextField } from "./fields";

/** The rewards catalogue: what members redeem points for, and what punch cards and milestones unlock. */
export function RewardsSection() {
  const { control } = useFormContext<ProgramInput>();
  const { fields, append, remove } = useFieldArray({ control, name: "rewards" });
  const rewards = useWatch({ control, name: "rewards" }) ?? [];
  return (
    <section className="card" aria-labelledby="program-rewards">
      <h2 id="program-rewards">Rewards catalogue</h2>
      {fields.map((field, i) => {
        const at = `rewards.${i}`;
        const row = rewards[i]?.name || `Reward ${i + 1}`;
        return (
          <Row key={field.id} legend={row} onRemove={() => remove(i)}>
            <TextField name={`${at}.name`} label="Name" row={row} />
            <TextField name={`${at}.rewardId`} label="Reward id" row={row} />
            <NumberField name={`${at}.pointsCost`} label="Points cost" row={row} step="1" />
            <NumberField
              name={`${at}.perMemberLimit`}
              label="Per-member limit"
              row={row}
              step="1"
              hint="Empty: no limit"
            />
            <DateTimeField name={`${at}.availableFrom`} label="Available from" row={row} optional />
            <DateTimeField name={`${at}.availableUntil`} label="Available until" row={row} optional />
            <TextField
              name={`${at}.fundedBy`}
              label="Funded by partner"
              row={row}
              optional
              hint="A partner id"
            />
            <CheckboxField name={`${at}.available`} label="Available" row={row} />
          </Row>
        );
      })}
      <AddButton
        label="Add reward"
        onAdd={() => append({ rewardId: "", name: "", pointsCost: 500, available: true })}
      />
    </section>
  );
}
