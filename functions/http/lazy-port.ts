/** A port whose every member is a method answering with a promise: the only kind a stand-in can defer. */
export type AsyncPort<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? T[K] : never;
};

/**
 * A stand-in for a port that imports and builds the real one on its first call, so a cold start does not
 * compile the marketer's stores (imports, audit, privacy…) that a member's GET /me never touches. Every
 * method only awaits the port and forwards; a failed import is not remembered, the next call tries again.
 */
export function lazyPort<T extends AsyncPort<T>>(load: () => Promise<T>): T {
  let port: Promise<T> | undefined;
  const loaded = () => {
    port ??= load().catch((error: unknown) => {
      port = undefined;
      throw error;
    });
    return port;
  };
  return new Proxy({} as T, {
    get(_, name) {
      // Not a thenable (`await port` must not call a method), and nothing for symbols (inspection).
      if (name === "then" || typeof name === "symbol") return undefined;
      return async (...args: unknown[]) => {
        const real = (await loaded()) as Record<string, (...args: unknown[]) => Promise<unknown>>;
        return real[name]?.(...args);
      };
    },
  });
}
