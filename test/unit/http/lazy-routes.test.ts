import { describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { MethodNotAllowedError, NotFoundError } from "../../../functions/http/http-errors";
import { createLazyRouter, type RouteGroup } from "../../../functions/http/lazy-routes";
import { defineRoute, type HttpEvent, type Route } from "../../../functions/http/route";

// The Lambda imports a route group on the first request under its prefixes; every answer must be the one
// the router gives with all routes loaded.

const route = (method: "GET" | "POST", path: string, answer: string): Route =>
  defineRoute({
    method,
    path,
    operationId: `${method}${path}`,
    summary: answer,
    tag: "test",
    access: "public",
    response: { status: 200, description: answer, schema: z.object({ answer: z.string() }) },
    handle: async () => ({ answer }),
  });

const request = (method: string, rawPath: string) =>
  ({
    rawPath,
    headers: {},
    requestContext: { http: { method }, requestId: "r-1" },
  }) as unknown as HttpEvent;

const answerOf = (result: { body?: string }) => JSON.parse(result.body ?? "{}").answer;

function programGroup(routes: readonly Route[] = [route("GET", "/program", "program")]) {
  const load = vi.fn(async () => routes);
  const group: RouteGroup = { prefixes: ["/program", "/rewards"], load };
  return { group, load };
}

const options = { maxBodyBytes: 1024 };

describe("createLazyRouter", () => {
  it("serves eager routes without loading a group whose prefixes the path is not under", async () => {
    const { group, load } = programGroup();
    const router = createLazyRouter([route("GET", "/me", "me")], [group], options);
    expect(answerOf(await router(request("GET", "/me")))).toBe("me");
    await expect(router(request("GET", "/programme"))).rejects.toBeInstanceOf(NotFoundError);
    expect(load).not.toHaveBeenCalled();
  });

  it("loads a group once, on the first request under one of its prefixes, and serves its routes", async () => {
    const { group, load } = programGroup([
      route("GET", "/program", "program"),
      route("GET", "/rewards/{id}", "reward"),
    ]);
    const router = createLazyRouter([route("GET", "/me", "me")], [group], options);
    const [first, second] = await Promise.all([
      router(request("GET", "/program")),
      router(request("GET", "/rewards/r1")),
    ]);
    expect([answerOf(first), answerOf(second)]).toEqual(["program", "reward"]);
    expect(answerOf(await router(request("GET", "/program")))).toBe("program");
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("answers 405 with the loaded group's methods for a path under its prefix", async () => {
    const { group } = programGroup();
    const router = createLazyRouter([], [group], options);
    const error = await router(request("POST", "/program")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MethodNotAllowedError);
    expect((error as MethodNotAllowedError).headers.allow).toBe("GET");
  });

  it("rejects a group that loads a route outside its prefixes: that route would answer 404 until loaded", async () => {
    const { group } = programGroup([
      route("GET", "/program", "program"),
      route("GET", "/segments", "segments"),
    ]);
    const router = createLazyRouter([], [group], options);
    await expect(router(request("GET", "/program"))).rejects.toThrow(/GET \/segments.*\/program, \/rewards/);
  });

  it("retries a group whose import failed on the next request under its prefixes", async () => {
    const load = vi
      .fn<RouteGroup["load"]>()
      .mockRejectedValueOnce(new Error("import failed"))
      .mockResolvedValue([route("GET", "/program", "program")]);
    const router = createLazyRouter([], [{ prefixes: ["/program"], load }], options);
    await expect(router(request("GET", "/program"))).rejects.toThrow("import failed");
    expect(answerOf(await router(request("GET", "/program")))).toBe("program");
  });
});
