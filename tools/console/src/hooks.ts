import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type StreamEvent, subscribe } from './api';

/** Result of {@link useLoad}. */
export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads data with `load` whenever `deps` change, and again (debounced) when one of the live `events` arrives and
 * `relevant(data)` says it concerns this view. No polling: updates come from the server's event stream.
 */
export const useLoad = <T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  events: readonly StreamEvent[] = [],
  relevant: (data: unknown) => boolean = () => true,
): Loaded<T> => {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const relevantRef = useRef(relevant);
  relevantRef.current = relevant;

  useEffect(() => {
    let live = true;
    setLoading(true);
    loadRef
      .current()
      .then((value) => {
        if (!live) return;
        setData(value);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (live) setError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [...deps, tick]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribes = events.map((event) =>
      subscribe(event, (payload) => {
        if (!relevantRef.current(payload)) return;
        if (timer !== undefined) return;
        timer = setTimeout(() => {
          timer = undefined;
          setTick((t) => t + 1);
        }, 250);
      }),
    );
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
  }, [events.join(',')]);

  return { data, error, loading, reload: () => setTick((t) => t + 1) };
};
