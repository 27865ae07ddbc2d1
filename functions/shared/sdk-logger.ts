// The SDK's logger middleware builds a redacted copy of every request and response for its logger even when that
// logger discards them (the default, and Patron gives the SDK no logger): walking the schema of every attribute of
// every item, or of every entry's detail, was among the largest items of the pipeline's CPU profile.

/** The name under which the SDK adds its logger middleware (@aws-sdk/core's loggerMiddlewareOptions). */
export const SDK_LOGGER_MIDDLEWARE = "loggerMiddleware";

/** The client without the SDK's logger middleware (see above); every AWS client Patron builds goes through it. */
export function withoutSdkLogger<C extends { middlewareStack: { remove(name: string): boolean } }>(
  client: C,
): C {
  client.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  return client;
}
