import type { ImportSummary } from "./run-import";

// The human summary of an import: counts, rejections by reason, then every bad row (line, field, reason —
// never the value, which may be personal data).

const MAX_LISTED = 200;

export function formatImportSummary(summary: ImportSummary): string {
  const n = (value: number) => value.toLocaleString("en-US");
  const lines = [
    `Import ${summary.importId} (${summary.mode}${summary.dryRun ? ", dry run" : ""}): ${n(summary.rows)} rows in ${summary.seconds.toFixed(1)} s`,
    summary.dryRun
      ? `  would import        ${n(summary.wouldImport)}`
      : `  imported            ${n(summary.imported)}`,
    `  already imported    ${n(summary.alreadyImported)}`,
    `  rejected            ${n(summary.rejected)}`,
  ];
  if (summary.failed.length > 0)
    lines.push(`  failed (retry: the import resumes)  ${n(summary.failed.length)}`);
  if (summary.aborted)
    lines.push("  nothing was written: the import has bad rows (--mode valid-rows imports the others)");
  const reasons = Object.entries(summary.rejectedByReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) {
    lines.push("", "Rejected by reason:");
    for (const [reason, count] of reasons) lines.push(`  ${n(count).padStart(7)}  ${reason}`);
    lines.push("", "Bad rows (line, field, reason):");
    for (const p of summary.problems.slice(0, MAX_LISTED))
      lines.push(`  line ${p.row}  ${p.field}: ${p.reason}`);
    if (summary.problems.length > MAX_LISTED)
      lines.push(`  ... and ${n(summary.problems.length - MAX_LISTED)} more (--json lists them all)`);
  }
  for (const f of summary.failed)
    lines.push(`  line ${f.row}  member ${f.memberId}: write failed (${f.error})`);
  return lines.join("\n");
}
