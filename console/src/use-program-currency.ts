import { unwrap } from "./api/client";
import { useApi } from "./console-context";
import { useResource } from "./use-resource";

/** The program's currency (money figures are in its minor units); undefined until known or if unreadable. */
export function useProgramCurrency(): string | undefined {
  const api = useApi();
  const { resource } = useResource(
    "program-currency",
    async () => unwrap(await api.GET("/program")).program.currency,
  );
  return resource.status === "ready" ? resource.data : undefined;
}
