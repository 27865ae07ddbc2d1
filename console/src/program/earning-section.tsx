import { useFieldArray, useFormContext, useWatch } from "react-hook-form";
import type { ProgramInput } from "../../../domain/program/program-schema";
import { AddButton, ChoicesField, DateTimeField, NumberField, Row, SelectField, TextField } from "./fields";
import { useCategories } from "./use-program-lists";

const CHANNELS = ["pos", "web", "app"] as const;

/** Base rate, rounding, category and SKU multipliers, promotions, the first-purchase bonus and pending days. */
export function EarningSection() {
  return (
    <section className="card" aria-labelledby="program-earning">
      <h2 id="program-earning">Earning</h2>
      <div className="grid">
        <NumberField
          name="earning.basePointsPerUnit"
          label="Base points per currency unit"
          hint="Points per major unit paid, before multipliers"
        />
        <SelectField name="earning.rounding" label="Rounding" options={["floor", "round-half-up", "ceil"]} />
        <SelectField name="earning.roundingScope" label="Round per" options={["order", "line"]} />
        <NumberField
          name="earning.pendingDays"
          label="Pending days"
          step="1"
          hint="Purchase points become spendable after this many days (the return window); 0 = at once"
        />
      </div>
      <CategoryMultipliers />
      <SkuMultipliers />
      <Promotions />
      <FirstPurchaseBonus />
    </section>
  );
}

function CategoryMultipliers() {
  const { control } = useFormContext<ProgramInput>();
  const { fields, append, remove } = useFieldArray({ control, name: "earning.categoryMultipliers" });
  const categories = useCategories();
  return (
    <>
      <h3>Category multipliers</h3>
      <datalist id="program-categories">
        {categories.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      {fields.map((field, i) => {
        const at = `earning.categoryMultipliers.${i}`;
        const row = `Category multiplier ${i + 1}`;
        return (
          <Row key={field.id} legend={row} onRemove={() => remove(i)}>
            <TextField name={`${at}.category`} label="Category" row={row} list="program-categories" />
            <NumberField
              name={`${at}.multiplier`}
              label="Multiplier"
              row={row}
              hint="0 excludes the category"
            />
            <TextField name={`${at}.ruleId`} label="Rule id" row={row} />
          </Row>
        );
      })}
      <AddButton
        label="Add category multiplier"
        onAdd={() => append({ ruleId: "", category: "", multiplier: 1 })}
      />
    </>
  );
}

function SkuMultipliers() {
  const { control } = useFormContext<ProgramInput>();
  const { fields, append, remove } = useFieldArray({ control, name: "earning.skuMultipliers" });
  return (
    <>
      <h3>SKU multipliers</h3>
      {fields.map((field, i) => {
        const at = `earning.skuMultipliers.${i}`;
        const row = `SKU multiplier ${i + 1}`;
        return (
          <Row key={field.id} legend={row} onRemove={() => remove(i)}>
            <TextField name={`${at}.sku`} label="SKU" row={row} />
            <NumberField name={`${at}.multiplier`} label="Multiplier" row={row} />
            <TextField name={`${at}.ruleId`} label="Rule id" row={row} />
          </Row>
        );
      })}
      <AddButton label="Add SKU multiplier" onAdd={() => append({ ruleId: "", sku: "", multiplier: 1 })} />
    </>
  );
}

function Promotions() {
  const { control } = useFormContext<ProgramInput>();
  const { fields, append, remove } = useFieldArray({ control, name: "earning.promotions" });
  const promotions = useWatch({ control, name: "earning.promotions" }) ?? [];
  const categories = useCategories();
  return (
    <>
      <h3>Promotions</h3>
      {fields.map((field, i) => {
        const at = `earning.promotions.${i}`;
        const row = promotions[i]?.name || `Promotion ${i + 1}`;
        return (
          <Row key={field.id} legend={row} onRemove={() => remove(i)}>
            <TextField name={`${at}.name`} label="Name" row={row} />
            <NumberField
              name={`${at}.multiplier`}
              label="Multiplier"
              row={row}
              hint="Greater than 1, at most 20"
            />
            <DateTimeField name={`${at}.startsAt`} label="Starts at" row={row} />
            <DateTimeField name={`${at}.endsAt`} label="Ends at" row={row} hint="Exclusive" />
            <ChoicesField
              name={`${at}.channels`}
              label="Channels"
              row={row}
              options={CHANNELS}
              whenNone="absent"
              hint="None ticked: every channel"
            />
            <ChoicesField
              name={`${at}.categories`}
              label="Categories"
              row={row}
              options={categories}
              whenNone="absent"
              hint="None ticked: every category"
            />
            <TextField name={`${at}.ruleId`} label="Rule id" row={row} />
          </Row>
        );
      })}
      <AddButton
        label="Add promotion"
        onAdd={() => {
          const start = new Date();
          const end = new Date(start.getTime() + 3 * 86_400_000);
          append({
            ruleId: "",
            name: "",
            startsAt: start.toISOString(),
            endsAt: end.toISOString(),
            multiplier: 2,
          });
        }}
      />
    </>
  );
}

function FirstPurchaseBonus() {
  const { control, setValue } = useFormContext<ProgramInput>();
  const bonus = useWatch({ control, name: "earning.firstPurchaseBonus" });
  return (
    <>
      <h3>First-purchase bonus</h3>
      <div className="field field-check">
        <input
          id="first-purchase-bonus"
          type="checkbox"
          checked={bonus !== undefined}
          onChange={(event) =>
            setValue(
              "earning.firstPurchaseBonus",
              event.target.checked ? { ruleId: "welcome-bonus", points: 100, minSpendMinor: 0 } : undefined,
              { shouldDirty: true },
            )
          }
        />
        <label htmlFor="first-purchase-bonus">Give a bonus on a member's first purchase</label>
      </div>
      {bonus !== undefined && (
        <div className="grid">
          <NumberField name="earning.firstPurchaseBonus.points" label="Bonus points" step="1" />
          <NumberField
            name="earning.firstPurchaseBonus.minSpendMinor"
            label="Minimum spend (minor units)"
            step="1"
          />
          <TextField name="earning.firstPurchaseBonus.ruleId" label="Bonus rule id" />
        </div>
      )}
    </>
  );
}
