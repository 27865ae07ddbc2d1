// The steps the CLI and the benchmark share: raw log text → calibration summary → fitted models.
import type { BgNbdParams, ModelFit } from "../../domain/analytics/bg-nbd";
import { fitBgNbd } from "../../domain/analytics/bg-nbd";
import type { CustomerSummary, TimeUnit } from "../../domain/analytics/customer-summary";
import { buildCustomerSummary } from "../../domain/analytics/customer-summary";
import type { GammaGammaParams } from "../../domain/analytics/gamma-gamma";
import { fitGammaGamma } from "../../domain/analytics/gamma-gamma";
import { parseTransactionLog } from "./transaction-log";

export interface FittedModels {
  bgNbd: ModelFit<BgNbdParams>;
  gammaGamma: ModelFit<GammaGammaParams> & { repeatBuyers: number };
}

export function summariseLog(
  text: string,
  source: string,
  options: { calibrationEnd: number; unit: TimeUnit },
): CustomerSummary {
  return buildCustomerSummary(parseTransactionLog(text, source), options);
}

/** BG/NBD on every customer's (x, t_x, T); Gamma-Gamma on the repeat buyers' mean repeat value m_x. */
export function fitModels(summary: CustomerSummary): FittedModels {
  return {
    bgNbd: fitBgNbd(summary),
    gammaGamma: fitGammaGamma({ x: summary.x, meanValue: summary.meanRepeatValue }),
  };
}
