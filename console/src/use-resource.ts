import { useCallback, useEffect, useState } from "react";

// One API read for a page: loading, the data or the error, and a reload (after a change the page made). A
// newer load wins: an answer that arrives after the key changed is dropped.

export type Resource<T> =
  | { status: "loading" }
  | { status: "ready"; data: T }
  | { status: "failed"; error: Error };

export function useResource<T>(
  key: string,
  load: () => Promise<T>,
): { resource: Resource<T>; reload: () => void } {
  const [resource, setResource] = useState<Resource<T>>({ status: "loading" });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what `load` reads; `generation` reloads
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setResource({ status: "ready", data }),
      (error: unknown) =>
        current &&
        setResource({ status: "failed", error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { resource, reload };
}
