import type { BusLogger } from "./event-bus/delivery-queue";

/** Platform messages as short human lines on stderr; handlers keep their own JSON logs on stdout. */
export function consoleLog(prefix = "patron", options: { quiet?: boolean } = {}): BusLogger {
  const line = (level: string, message: string, data?: Record<string, unknown>) => {
    const fields = Object.entries(data ?? {})
      .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join(" ");
    process.stderr.write(`[${prefix}] ${level}${message}${fields ? ` ${fields}` : ""}\n`);
  };
  return {
    info: (message, data) => {
      if (!options.quiet) line("", message, data);
    },
    warn: (message, data) => line("warning: ", message, data),
    error: (message, data) => line("error: ", message, data),
  };
}
