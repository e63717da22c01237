/** Base path of the console's JSON API on the local cloud. */
export const API = '/_console/api';

/** A non-2xx answer of the console API (or of the approvals API behind it). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: string; message?: string; fields?: string[] },
  ) {
    super(body.message ?? `HTTP ${status}`);
  }
}

const parse = async <T>(response: Response): Promise<T> => {
  const text = await response.text();
  const body = (text === '' ? {} : JSON.parse(text)) as unknown;
  if (!response.ok) throw new ApiError(response.status, body as ApiError['body']);
  return body as T;
};

/** GET `${API}${path}?params` as JSON (empty parameters are left out). */
export const getJson = async <T>(
  path: string,
  params: Record<string, string | undefined> = {},
): Promise<T> => {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, v);
  const qs = query.toString();
  return parse<T>(
    await fetch(`${API}${path}${qs === '' ? '' : `?${qs}`}`, { headers: { accept: 'application/json' } }),
  );
};

/** POST a JSON body to `${API}${path}`. */
export const postJson = async <T>(path: string, body: unknown): Promise<T> =>
  parse<T>(
    await fetch(`${API}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    }),
  );

/** The live stream's event names. */
export type StreamEvent = 'executions' | 'services';

type Listener = (data: unknown) => void;
const listeners = new Map<StreamEvent, Set<Listener>>();
let source: EventSource | undefined;
let connectionListener: ((connected: boolean) => void) | undefined;

/** Reports whether the live stream is connected (the header shows it). */
export const onConnection = (listener: (connected: boolean) => void): void => {
  connectionListener = listener;
  connect();
  if (source?.readyState === EventSource.OPEN) listener(true);
};

function connect(): void {
  if (source !== undefined) return;
  source = new EventSource(`${API}/stream`);
  source.onopen = () => connectionListener?.(true);
  source.onerror = () => connectionListener?.(false);
  for (const name of ['executions', 'services'] as const) {
    source.addEventListener(name, (message: MessageEvent<string>) => {
      const data = JSON.parse(message.data) as unknown;
      for (const listener of listeners.get(name) ?? []) listener(data);
    });
  }
}

/** Subscribes to one kind of live event (server-sent events, one shared connection); returns the unsubscribe. */
export const subscribe = (event: StreamEvent, listener: Listener): (() => void) => {
  connect();
  const set = listeners.get(event) ?? new Set<Listener>();
  set.add(listener);
  listeners.set(event, set);
  return () => set.delete(listener);
};
