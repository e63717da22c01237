/**
 * What the user can do about an error the CLI cannot recover from, for the failures a newcomer meets first: no
 * local cloud listening (a command before `npm start`, or on another port), or a port already taken (a second
 * `npm start`). `undefined` for anything else.
 */
export const hintFor = (error: unknown): string | undefined => {
  const system = systemError(error);
  const where = system?.port === undefined ? '' : ` ${system.address ?? '127.0.0.1'}:${system.port}`;
  if (system?.code === 'ECONNREFUSED') {
    return `Nothing answers at${where}: start the local cloud first (npm start), or point the CLI at it with --endpoint <url> or AWS_ENDPOINT_URL.`;
  }
  if (system?.code === 'EADDRINUSE') {
    return `The port${where} is taken (another local cloud?): stop that one, or start this one with --port <n> (0 picks a free port).`;
  }
  return undefined;
};

interface SystemError {
  code: string;
  address?: string;
  port?: number;
}

/** The Node system error in `error` or in its cause chain (the SDK wraps socket errors). */
const systemError = (error: unknown): SystemError | undefined => {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, address, port, cause } = current as Record<string, unknown>;
    if (typeof code === 'string') {
      return {
        code,
        ...(typeof address === 'string' ? { address } : {}),
        ...(typeof port === 'number' ? { port } : {}),
      };
    }
    current = cause;
  }
  return undefined;
};
