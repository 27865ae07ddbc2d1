import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import startSesServer from "aws-ses-v2-local";

// aws-ses-v2-local runs in-process: it is plain Node (express), so there is no child to orphan, and its
// web inbox at `/` shows every e-mail Patron sends. The SESv2 client talks to it with `endpoint`.

export interface SesLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** One e-mail as the server's `GET /store` lists it. */
export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  /** Extra headers of Simple content, e.g. List-Unsubscribe. */
  headers?: { name: string; value: string }[];
  at: number;
}

export async function startSesLocal(options: { port: number; host?: string }): Promise<SesLocal> {
  // The package is CommonJS with an `exports.default`; depending on the loader it arrives wrapped once more.
  const start = (
    typeof startSesServer === "function"
      ? startSesServer
      : (startSesServer as { default: typeof startSesServer }).default
  ) as (config: { host: string; port: number }) => Promise<Server>;
  const host = options.host ?? "127.0.0.1";
  const server = await start({ host, port: options.port });
  // On a listen error express calls back all the same, with a server that is not listening.
  if (!server.listening) throw new Error(`SES local could not listen on ${host}:${options.port}`);
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Every e-mail the local SES server has received. */
export async function listSentEmails(endpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${endpoint}/store`);
  if (!response.ok) throw new Error(`SES local GET /store answered ${response.status}`);
  const { emails } = (await response.json()) as { emails: StoredEmail[] };
  return emails;
}
