import { createServer } from "node:net";

// The local platform's fixed, documented ports (README "Quick start"), each overridable by an env var.

export interface PlatformPorts {
  api: number;
  bus: number;
  ses: number;
  dynamodb: number;
}

export const PORT_SETTINGS: Readonly<
  Record<keyof PlatformPorts, { env: string; fallback: number; what: string }>
> = {
  api: { env: "PATRON_API_PORT", fallback: 3000, what: "HTTP API" },
  bus: { env: "PATRON_BUS_PORT", fallback: 4010, what: "event bus endpoint" },
  ses: { env: "PATRON_SES_PORT", fallback: 8005, what: "SES local (web inbox)" },
  dynamodb: { env: "PATRON_DYNAMODB_PORT", fallback: 8000, what: "DynamoDB Local" },
};

const PORT_NAMES = Object.keys(PORT_SETTINGS) as (keyof PlatformPorts)[];

/** Ports from the environment, defaults otherwise; a malformed value names its variable. */
export function portsFromEnv(env: Record<string, string | undefined> = process.env): PlatformPorts {
  const entries = PORT_NAMES.map((name) => {
    const { env: variable, fallback } = PORT_SETTINGS[name];
    const raw = env[variable];
    if (raw === undefined || raw.trim() === "") return [name, fallback] as const;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new Error(`${variable} must be a port number between 1 and 65535, got "${raw}"`);
    return [name, port] as const;
  });
  return Object.fromEntries(entries) as unknown as PlatformPorts;
}

/**
 * The URL of one service of a running `npm start`, for the CLIs that talk to it (send, job, token), from
 * the same variables, and where its port came from — so a CLI can say which URL it uses and why.
 */
export function localServiceUrl(
  name: keyof PlatformPorts,
  env: Record<string, string | undefined> = process.env,
): { url: string; source: string } {
  const port = portsFromEnv(env)[name];
  const variable = PORT_SETTINGS[name].env;
  const set = (env[variable] ?? "").trim() !== "";
  return {
    url: `http://127.0.0.1:${port}`,
    source: set ? `from ${variable}=${port}` : `the default; ${variable} moves it, as for npm start`,
  };
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * Fails with one message naming every taken port and the variable that moves it. Port 0 (any free
 * port, used by tests) is never checked.
 */
export async function assertPortsFree(ports: PlatformPorts, host = "127.0.0.1"): Promise<void> {
  const taken: string[] = [];
  for (const name of PORT_NAMES) {
    const port = ports[name];
    if (port !== 0 && !(await isFree(port, host))) {
      const { env, what } = PORT_SETTINGS[name];
      taken.push(`  port ${port} (${what}) is in use — stop what holds it, or pick another: ${env}=<port>`);
    }
  }
  if (
    new Set(PORT_NAMES.map((n) => ports[n]).filter((p) => p !== 0)).size <
    PORT_NAMES.filter((n) => ports[n] !== 0).length
  )
    taken.push("  two services were given the same port; each needs its own");
  if (taken.length > 0) throw new Error(`Ports not available:\n${taken.join("\n")}`);
}

/** A port that was free a moment ago, for servers that cannot report the port 0 gave them. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port")),
      );
    });
  });
}
