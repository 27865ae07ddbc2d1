import * as z from "zod";
import { tableEnv } from "./config";

// The event consumers' configuration, in a module of its own so that functions which are not consumers do not
// build its schema at cold start (esbuild leaves out modules whose exports nothing uses).

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
    .transform((value) =>
      value
        .split(",")
        .map((pattern) => pattern.trim())
        .filter((pattern) => pattern !== ""),
    )
    .pipe(
      z.array(
        z.string().regex(/^retail\.[a-z0-9.*?-]+$/, { error: "must be source patterns like retail.pos.*" }),
      ),
    ),
});

export type ConsumerConfig = z.output<typeof consumerConfigSchema>;
