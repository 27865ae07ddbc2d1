import type { Route } from "./route";
import { createRouter, type HttpHandler, type RouterOptions } from "./router";

/**
 * Routes imported on the first request under one of `prefixes` (the path itself or below it), so a cold
 * start builds the schemas of the routes it serves rather than of every route (the program's schema, read
 * only by the marketer routes, is the largest). Every route a group loads must lie under its prefixes: a
 * request elsewhere then gets the answer (404, 405) it would get with the group loaded.
 */
export interface RouteGroup {
  readonly prefixes: readonly string[];
  readonly load: () => Promise<readonly Route[]>;
}

const segments = (path: string) => path.split("/").filter((s) => s.length > 0);

function isUnder(path: string, prefix: string): boolean {
  const [actual, wanted] = [segments(path), segments(prefix)];
  return wanted.every((segment, i) => actual[i] === segment);
}

/** The group's routes, checked to lie under its prefixes. */
export async function loadGroup(group: RouteGroup): Promise<readonly Route[]> {
  const routes = await group.load();
  for (const route of routes) {
    if (!group.prefixes.some((prefix) => isUnder(route.path, prefix))) {
      throw new Error(
        `route ${route.method} ${route.path} is outside its group's prefixes ${group.prefixes.join(", ")}`,
      );
    }
  }
  return routes;
}

/** The router over `eager` and every group loaded so far; a request first loads the groups it falls under. */
export function createLazyRouter(
  eager: readonly Route[],
  groups: readonly RouteGroup[],
  options: RouterOptions,
): HttpHandler {
  let routes = [...eager];
  let router = createRouter(routes, options);
  const loading = new Map<RouteGroup, Promise<void>>();
  const ensureLoaded = (group: RouteGroup): Promise<void> => {
    let done = loading.get(group);
    if (done === undefined) {
      done = loadGroup(group).then((loaded) => {
        routes = [...routes, ...loaded];
        router = createRouter(routes, options);
      });
      // A failed import is tried again by the next request rather than remembered.
      done.catch(() => loading.delete(group));
      loading.set(group, done);
    }
    return done;
  };
  return async (event) => {
    const due = groups.filter((group) => group.prefixes.some((prefix) => isUnder(event.rawPath, prefix)));
    await Promise.all(due.map(ensureLoaded));
    return router(event);
  };
}
