// Progress on stderr: a redrawn line on a terminal, a line every 10% otherwise (CI logs, pipes).

export function importProgress(stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let lastDecile = -1;
  let lastDraw = 0;
  return {
    update(done: number, total: number): void {
      const share = total === 0 ? 1 : done / total;
      const rate = Math.round(done / Math.max(0.001, (performance.now() - started) / 1000));
      const text = `${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} rows  ${rate.toLocaleString("en-US")}/s`;
      if (stream.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        const filled = Math.round(share * 30);
        stream.write(
          `\r[${"#".repeat(filled)}${"-".repeat(30 - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${text}\u001b[K`,
        );
        return;
      }
      const decile = Math.floor(share * 10);
      if (decile === lastDecile) return;
      lastDecile = decile;
      stream.write(`import: ${(share * 100).toFixed(0)}%  ${text}\n`);
    },
    done(): void {
      if (stream.isTTY) stream.write("\n");
    },
  };
}
