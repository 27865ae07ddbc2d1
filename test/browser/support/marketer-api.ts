import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import type { PlatformEnv } from "./platform-env";

// The HTTP API as a marketer calls it, for the console tests to read what a page should show.

export async function marketerGet<T>(env: PlatformEnv, path: string): Promise<{ status: number; body: T }> {
  const token = await signLocalToken({ marketer: "browser-test" });
  const response = await fetch(`${env.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as T };
}

/** Polls `path` until `done` holds for its 200 answer (a bus event is applied asynchronously). */
export async function waitForMarketerGet<T>(
  env: PlatformEnv,
  path: string,
  done: (body: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await marketerGet<T>(env, path);
    if (status === 200 && done(body)) return body;
    if (Date.now() > deadline) throw new Error(`GET ${path}: still ${status} ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
