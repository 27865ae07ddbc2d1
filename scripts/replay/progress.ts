// Progress on stderr: a redrawn bar on a terminal, a line every 10% otherwise (CI logs, pipes).

export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let lastDecile = -1;
  let lastDraw = 0;
  return {
    update(sent: number, total: number, at: Date): void {
      const share = total === 0 ? 1 : sent / total;
      const rate = Math.round(sent / Math.max(0.001, (performance.now() - started) / 1000));
      const text = `${sent.toLocaleString("en-US")}/${total.toLocaleString("en-US")} events  ${rate.toLocaleString("en-US")}/s  at ${at.toISOString().slice(0, 10)}`;
      if (stream.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 100 && sent < total) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round(share * width);
        stream.write(
          `\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${text}\u001b[K`,
        );
      } else {
        const decile = Math.floor(share * 10);
        if (decile === lastDecile) return;
        lastDecile = decile;
        stream.write(`replay: ${(share * 100).toFixed(0)}%  ${text}\n`);
      }
    },
    done(): void {
      if (stream.isTTY) stream.write("\n");
    },
  };
}
