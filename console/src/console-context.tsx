import { createContext, useContext } from "react";
import type { ApiClient } from "./api/client";
import type { Session } from "./auth/session";
import type { ConsoleConfig } from "./config";

// What every page gets: the deployment's config, the typed API client (it adds the session's token) and who is
// signed in.

export interface ConsoleContextValue {
  config: ConsoleConfig;
  api: ApiClient;
  session: Session | undefined;
  setSession(session: Session | undefined): void;
}

export const ConsoleContext = createContext<ConsoleContextValue | undefined>(undefined);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error("useConsole outside ConsoleContext");
  return value;
}

/** The typed API client, for pages behind sign-in. */
export function useApi(): ApiClient {
  return useConsole().api;
}
