// The randomised control group: a fixed share of members, drawn by hash of a salt and the member id, so
// membership is random with respect to behaviour, identical on every run and changeable only via the salt.
import { InvalidFacts } from "../errors";
import { stableHash32 } from "./hash";

/** Resolution of the draw: percentages with two decimals (10000 slots). */
const SLOTS = 10_000;

export function isInHoldout(memberId: string, percent: number, salt: string): boolean {
  if (!(percent >= 0 && percent <= 100)) throw new InvalidFacts("percent", `must be 0–100, got ${percent}`);
  return stableHash32(`${salt}:${memberId}`) % SLOTS < Math.round(percent * 100);
}
