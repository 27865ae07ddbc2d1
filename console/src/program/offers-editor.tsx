import { useFieldArray, useFormContext, useWatch } from "react-hook-form";
import type { ProgramInput } from "../../../domain/program/program-schema";
import { triggerFamilySchema } from "../../../domain/retention/trigger-family";
import { AddButton, ChoicesField, NumberField, Row, SelectField, TextField } from "./fields";
import { useCategories } from "./use-program-lists";

const TRIGGERS = triggerFamilySchema.options;
const at = "retention.offers";

/** The offer catalogue of retention e-mails and how offers are sized and capped. An offer's segments are kept. */
export function OffersEditor() {
  const { control } = useFormContext<ProgramInput>();
  const { fields, append, remove } = useFieldArray({ control, name: "retention.offers.catalogue" });
  const offers = useWatch({ control, name: "retention.offers.catalogue" }) ?? [];
  const categories = useCategories();
  return (
    <>
      <h3>Offers</h3>
      {fields.map((field, i) => {
        const item = `${at}.catalogue.${i}`;
        const row = `Offer ${offers[i]?.id || i + 1}`;
        return (
          <Row key={field.id} legend={row} onRemove={() => remove(i)}>
            <TextField name={`${item}.id`} label="Offer id" row={row} />
            <SelectField
              name={`${item}.kind`}
              label="Kind"
              row={row}
              options={["bonus-points", "amount-off", "percent-off", "reward"]}
            />
            <NumberField
              name={`${item}.value`}
              label="Value"
              row={row}
              step="1"
              hint="Points, minor units off, percent (at most 90), or copies of the reward"
            />
            {offers[i]?.kind === "reward" && (
              <TextField
                name={`${item}.rewardId`}
                label="Reward id"
                row={row}
                optional
                list="program-reward-ids"
                hint="The catalogue reward the code unlocks"
              />
            )}
            <NumberField
              name={`${item}.minWinBackStep`}
              label="From win-back step"
              row={row}
              step="1"
              hint="Empty: any step"
            />
            <ChoicesField
              name={`${item}.triggers`}
              label="Triggers"
              row={row}
              options={TRIGGERS}
              whenNone="empty"
              hint="None ticked: any trigger"
            />
            <ChoicesField
              name={`${item}.categories`}
              label="Categories"
              row={row}
              options={categories}
              whenNone="empty"
              hint="None ticked: any category"
            />
          </Row>
        );
      })}
      <AddButton
        label="Add offer"
        onAdd={() => append({ id: "", kind: "bonus-points", value: 100, triggers: ["win-back"] })}
      />
      <h4>Offer sizing and caps</h4>
      <div className="grid">
        <NumberField name={`${at}.pointCostMinor`} label="Cost of one point (minor units)" />
        <NumberField name={`${at}.clvSharePercent`} label="Budget: share of lifetime value (%)" />
        <NumberField name={`${at}.orderValueSharePercent`} label="Budget: share of order value (%)" />
        <NumberField name={`${at}.escalationPercentPerStep`} label="Escalation per win-back step (%)" />
        <NumberField name={`${at}.capMinor`} label="Offer cap (minor units)" step="1" />
      </div>
    </>
  );
}
