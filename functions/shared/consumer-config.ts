import * as z from "zod";
import { tableEnv } from "./config";

// The event consumers' configuration, in a module of its own so that functions which are not consumers do not
// build its schema at cold start (esbuild leaves out modules whose exports nothing uses).

/** One producer source pattern as the stack writes it (infra/config.ts checks them when it is built). */
const sourcePattern = z
  .string()
  .regex(/^retail\.[a-z0-9.*?-]+$/, { error: "must be source patterns like retail.pos.*" });

/** A `sep`-separated list, blanks around items and empty items dropped. */
const splitList = (value: string, sep: string) =>
  value
    .split(sep)
    .map((item) => item.trim())
    .filter((item) => item !== "");

export const consumerConfigSchema = z.object({
  ...tableEnv,
  /**
   * How far before a refund the ledger is searched for the purchase it refunds. Refunds of older
   * purchases are retried and end in the rule's dead-letter queue.
   */
  REFUND_LOOKBACK_DAYS: z.coerce.number().int().min(1).max(3660).default(400),
  /**
   * Comma-separated source patterns of the producers marked as refund authorities in the stack's producer
   * list (they may refund other producers' orders); unset: none may.
   */
  REFUND_AUTHORITY_SOURCES: z
    .string()
    .default("")
    .transform((value) => splitList(value, ","))
    .pipe(z.array(sourcePattern)),
  /**
   * Each producer's source patterns from the stack's producer list: producers separated by ";", a producer's
   * patterns by "," (`retail.pos.*;retail.web.*,retail.app.*`). A producer may refund the orders of any of its
   * own sources; unset: a refund may name only its own source.
   */
  PRODUCER_SOURCES: z
    .string()
    .default("")
    .transform((value) => splitList(value, ";").map((producer) => splitList(producer, ",")))
    .pipe(z.array(z.array(sourcePattern).min(1))),
});

export type ConsumerConfig = z.output<typeof consumerConfigSchema>;
