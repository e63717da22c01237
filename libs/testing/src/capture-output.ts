type Write = typeof process.stdout.write;

/**
 * Captures what is written to `process.stdout` and `process.stderr` while `fn` runs (the Powertools Logger writes
 * INFO/DEBUG to stdout and WARN/ERROR to stderr; Metrics writes EMF to stdout), in write order, one entry per line.
 * Restores both streams afterwards, even when `fn` throws.
 */
export const captureOutput = async (fn: () => unknown): Promise<string[]> => {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals: Write[] = streams.map((stream) => stream.write);
  const capture = ((chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as Write;
  for (const stream of streams) stream.write = capture;
  try {
    await fn();
  } finally {
    streams.forEach((stream, index) => {
      const original = originals[index];
      if (original !== undefined) stream.write = original;
    });
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim().length > 0);
};

/** The JSON log lines among captured lines (non-JSON lines are dropped). */
export const parseJsonLines = (lines: readonly string[]): Record<string, unknown>[] =>
  lines.flatMap((line) => {
    try {
      const parsed: unknown = JSON.parse(line);
      return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
