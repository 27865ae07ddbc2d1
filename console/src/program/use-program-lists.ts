import { useFormContext, useWatch } from "react-hook-form";
import type { ProgramInput } from "../../../domain/program/program-schema";

// Lists other parts of the form choose from, kept live as the marketer edits them.

/** The program's declared categories. */
export function useCategories(): string[] {
  const { control } = useFormContext<ProgramInput>();
  return useWatch({ control, name: "categories" }) ?? [];
}

/** The reward ids of the catalogue, offered as suggestions where a rule names a reward. */
export function useRewardIds(): string[] {
  const { control } = useFormContext<ProgramInput>();
  const rewards = useWatch({ control, name: "rewards" }) ?? [];
  return rewards.map((r) => r?.rewardId).filter((id): id is string => Boolean(id));
}
