import { useFieldArray, useFormContext, useWatch } from "react-hook-form";
import type { ProgramInput } from "../../../domain/program/program-schema";
import { AddButton, ChoicesField, NumberField, Row, SelectField, TextField } from "./fields";
import { useCategories, useRewardIds } from "./use-program-lists";

/** Punch cards, visit streaks and lifetime milestones. */
export function FrequencySection() {
  const rewardIds = useRewardIds();
  return (
    <section className="card" aria-labelledby="program-frequency">
      <h2 id="program-frequency">Frequency rewards</h2>
      <datalist id="program-reward-ids">
        {rewardIds.map((id) => (
          <option key={id} value={id} />
        ))}
      </datalist>
      <PunchCards />
      <Streaks />
      <Milestones />
    </section>
  );
}

/** A row's name: what the marketer called it, or its kind and position while it has none. */
function useRowNames(name: "punchCards" | "streaks" | "milestones", kind: string): string[] {
  const { control } = useFormContext<ProgramInput>();
  const items = useWatch({ control, name }) ?? [];
  return items.map((item, i) => item?.name || `${kind} ${i + 1}`);
}

function PunchCards() {
  const { control } = useFormContext<ProgramInput>();
  const { fields, append, remove } = useFieldArray({ control, name: "punchCards" });
  const names = useRowNames("punchCards", "Punch card");
  const categories = useCategories();
  return (
    <>
      <h3>Punch cards</h3>
      {fields.map((field, i) => {
        const at = `punchCards.${i}`;
        const row = names[i] ?? `Punch card ${i + 1}`;
        return (
          <Row key={field.id} legend={row} onRemove={() => remove(i)}>
            <TextField name={`${at}.name`} label="Name" row={row} />
            <NumberField name={`${at}.punchesRequired`} label="Punches required" row={row} step="1" />
            <TextField name={`${at}.rewardId`} label="Reward id" row={row} list="program-reward-ids" />
            <ChoicesField
              name={`${at}.categories`}
              label="Categories"
              row={row}
              options={categories}
              whenNone="absent"
              hint="None ticked: any purchase punches"
            />
            <TextField name={`${at}.ruleId`} label="Rule id" row={row} />
          </Row>
        );
      })}
      <AddButton
        label="Add punch card"
        onAdd={() => append({ ruleId: "", name: "", punchesRequired: 10, rewardId: "" })}
      />
    </>
  );
}

function Streaks() {
  const { control } = useFormContext<ProgramInput>();
  const { fields, append, remove } = useFieldArray({ control, name: "streaks" });
  const names = useRowNames("streaks", "Streak");
  return (
    <>
      <h3>Streaks</h3>
      {fields.map((field, i) => {
        const at = `streaks.${i}`;
        const row = names[i] ?? `Streak ${i + 1}`;
        return (
          <Row key={field.id} legend={row} onRemove={() => remove(i)}>
            <TextField name={`${at}.name`} label="Name" row={row} />
            <NumberField name={`${at}.visits`} label="Visits" row={row} step="1" />
            <NumberField name={`${at}.withinDays`} label="Within days" row={row} step="1" />
            <NumberField name={`${at}.bonusPoints`} label="Bonus points" row={row} step="1" />
            <TextField name={`${at}.ruleId`} label="Rule id" row={row} />
          </Row>
        );
      })}
      <AddButton
        label="Add streak"
        onAdd={() => append({ ruleId: "", name: "", visits: 3, withinDays: 14, bonusPoints: 50 })}
      />
    </>
  );
}

function Milestones() {
  const { control } = useFormContext<ProgramInput>();
  const { fields, append, remove } = useFieldArray({ control, name: "milestones" });
  const names = useRowNames("milestones", "Milestone");
  return (
    <>
      <h3>Milestones</h3>
      {fields.map((field, i) => {
        const at = `milestones.${i}`;
        const row = names[i] ?? `Milestone ${i + 1}`;
        return (
          <Row key={field.id} legend={row} onRemove={() => remove(i)}>
            <TextField name={`${at}.name`} label="Name" row={row} />
            <SelectField
              name={`${at}.metric`}
              label="Metric"
              row={row}
              options={["purchaseCount", "lifetimeSpend"]}
            />
            <NumberField
              name={`${at}.threshold`}
              label="Threshold"
              row={row}
              step="1"
              hint="Purchases, or spend in minor units"
            />
            <NumberField name={`${at}.bonusPoints`} label="Bonus points" row={row} step="1" />
            <TextField
              name={`${at}.rewardId`}
              label="Reward id"
              row={row}
              optional
              list="program-reward-ids"
              hint="Optional"
            />
            <TextField name={`${at}.ruleId`} label="Rule id" row={row} />
          </Row>
        );
      })}
      <AddButton
        label="Add milestone"
        onAdd={() =>
          append({ ruleId: "", name: "", metric: "purchaseCount", threshold: 10, bonusPoints: 100 })
        }
      />
    </>
  );
}
