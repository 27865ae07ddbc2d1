// One CSV row per scored customer.
import type { CustomerSummary } from "../../domain/analytics/customer-summary";
import type { CustomerScores } from "../../domain/analytics/scoring";

export const SCORE_CSV_HEADER =
  "customer_id,x,t_x,T,p_alive,expected_purchases,expected_order_value,clv,rfm_segment,rfm_score";

/** Quotes a field only when CSV needs it. */
function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function scoreCsv(summary: CustomerSummary, scores: CustomerScores): string {
  const { rfm } = scores;
  const lines = [SCORE_CSV_HEADER];
  for (let i = 0; i < summary.customerIds.length; i++) {
    lines.push(
      [
        csvField(summary.customerIds[i] as string),
        summary.x[i],
        (summary.tx[i] as number).toFixed(4),
        (summary.T[i] as number).toFixed(4),
        (scores.pAlive[i] as number).toFixed(6),
        (scores.expectedPurchases[i] as number).toFixed(4),
        (scores.expectedOrderValue[i] as number).toFixed(2),
        (scores.clv[i] as number).toFixed(2),
        csvField(rfm.segmentNames[rfm.segment[i] as number] as string),
        `${rfm.recency[i]}${rfm.frequency[i]}${rfm.monetary[i]}`,
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
