// Loads something when its inputs change, cancelling the previous request, and exposes the
// three states every page shows: loading, error (as a readable message), data.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export type AsyncState<T> = { status: "loading"; data?: T } | { status: "error"; error: string; data?: T } | { status: "ready"; data: T };

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Runs `load` now and whenever `deps` change; a newer run aborts the older one, so a slow
 * answer for an old selection never overwrites the new one. `reload()` runs it again.
 * The previous data stays available while reloading (no flashing empty chart).
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): AsyncState<T> & { reload: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ status: "loading" });
  const [generation, setGeneration] = useState(0);
  const previous = useRef<T | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: "loading", data: previous.current });
    load(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        previous.current = data;
        setState({ status: "ready", data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: "error", error: errorText(error), data: previous.current });
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
