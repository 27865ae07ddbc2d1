import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DeadLetter } from "./delivery-queue";
import { type BusStats, createEventBus, type EventBus, type EventBusOptions } from "./event-bus-core";
import type { ProducerGrant } from "./producer-permissions";
import { AwsJsonError, DEFAULT_MAX_REQUEST_ENTRY_BYTES, parseWireEntries } from "./put-events-request";

export interface LocalEventBusOptions extends EventBusOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /**
   * The stack's producer list. A caller whose SigV4 access key id is a producer's name may put only that
   * producer's sources and detail types; any other key acts as the account's own operators (unrestricted).
   */
  producers?: readonly ProducerGrant[];
}

export interface LocalEventBus extends EventBus {
  /** Endpoint to hand to `new EventBridgeClient({ endpoint })`. */
  url: string;
  /** Stops accepting requests, then waits for every in-flight delivery (retries included). */
  close(): Promise<void>;
}

const JSON_1_1 = "application/x-amz-json-1.1";
const PUT_EVENTS_TARGET = "AWSEvents.PutEvents";

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": JSON_1_1,
    "content-length": Buffer.byteLength(payload),
    "x-amzn-requestid": randomUUID(),
    ...headers,
  });
  res.end(payload);
}

function sendError(res: ServerResponse, error: AwsJsonError): void {
  send(
    res,
    error.statusCode,
    { __type: error.type, message: error.message },
    { "x-amzn-errortype": error.type },
  );
}

/** Reads the body but stops buffering past `limit` bytes, so a huge request cannot exhaust memory. */
async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? undefined : Buffer.concat(chunks).toString("utf8");
}

/** The SDK signs with SigV4; we do not verify it, but its credential names the caller's key and region. */
function credentialOf(header: string | undefined): { accessKeyId?: string; region?: string } {
  const match = header?.match(/Credential=([^/]+)\/\d{8}\/([^/]+)\/events\/aws4_request/);
  return { accessKeyId: match?.[1], region: match?.[2] };
}

/**
 * A local EventBridge: answers PutEvents over the AWS JSON 1.1 protocol exactly as the real
 * @aws-sdk/client-eventbridge sends it, and serves GET /health and GET /dead-letters for operators.
 */
export async function createLocalEventBus(options: LocalEventBusOptions): Promise<LocalEventBus> {
  const bus = createEventBus(options);
  // JSON escaping can inflate a Detail up to 6x (\u0000), so allow generous headroom before refusing to buffer.
  const bodyLimit = 8 * (options.maxRequestEntryBytes ?? DEFAULT_MAX_REQUEST_ENTRY_BYTES);

  const handlePutEvents = async (req: IncomingMessage, res: ServerResponse) => {
    const target = req.headers["x-amz-target"];
    if (target !== PUT_EVENTS_TARGET) {
      const name = typeof target === "string" && target !== "" ? target : "(no X-Amz-Target header)";
      throw new AwsJsonError(
        "UnknownOperationException",
        `Operation ${name} is not supported by the local bus.`,
      );
    }
    const raw = await readBody(req, bodyLimit);
    if (raw === undefined) {
      throw new AwsJsonError(
        "ValidationException",
        "Total size of the entries in the request is over the limit.",
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new AwsJsonError("SerializationException", "Request body is not valid JSON.");
    }
    const caller = credentialOf(req.headers.authorization);
    const producer = options.producers?.find((candidate) => candidate.name === caller.accessKeyId);
    const result = await bus.putEvents(parseWireEntries(body), {
      region: caller.region,
      ...(producer && { producer }),
      // Handlers publish through this endpoint from inside deliveries; waiting here could deadlock the workers.
      whenFull: "throttle",
    });
    send(res, 200, result);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    if (req.method === "GET" && path === "/health") {
      send(res, 200, { status: "ok", stats: bus.stats() });
    } else if (req.method === "GET" && path === "/dead-letters") {
      const deadLetters = bus.deadLetters();
      send(res, 200, { count: deadLetters.length, deadLetters });
    } else if (req.method === "POST" && path === "/") {
      await handlePutEvents(req, res);
    } else {
      req.resume();
      send(res, 404, { __type: "NotFound", message: `No route for ${req.method} ${path}` });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Discard any unread body so the keep-alive connection stays usable.
      req.resume();
      if (error instanceof AwsJsonError) return sendError(res, error);
      options.logger?.error("local bus request failed", { error: String(error) });
      sendError(res, new AwsJsonError("InternalException", "Internal error in the local event bus.", 500));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    putEvents: (entries, putOptions) => bus.putEvents(entries, putOptions),
    drain: () => bus.drain(),
    delivered: (eventId) => bus.delivered(eventId),
    deadLetters: (): DeadLetter[] => bus.deadLetters(),
    stats: (): BusStats => bus.stats(),
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await bus.drain();
    },
  };
}
