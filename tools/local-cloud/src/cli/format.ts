/** Terminal formatting helpers of the CLI (plain text, no colours when not a TTY). */

const useColour = (): boolean => process.stdout.isTTY && process.env['NO_COLOR'] === undefined;

const paint =
  (code: number) =>
  (text: string): string =>
    useColour() ? `\u001b[${code}m${text}\u001b[0m` : text;

export const dim = paint(2);
export const bold = paint(1);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);

/** Colours an execution status. */
export const status = (value: string): string =>
  value === 'SUCCEEDED'
    ? green(value)
    : value === 'RUNNING'
      ? cyan(value)
      : value === 'PENDING_REDRIVE'
        ? yellow(value)
        : red(value);

// eslint-disable-next-line no-control-regex
const visibleLength = (text: string): number => text.replace(/\u001b\[\d+m/g, '').length;

/** Renders rows as a left-aligned table with a header row. */
export const table = (headers: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) =>
        i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell)),
      )
      .join('  ')
      .trimEnd();
  return [bold(line(headers)), ...rows.map(line)].join('\n');
};

/** `2026-01-02 03:04:05.678` in UTC. */
export const timestamp = (date: Date | undefined): string =>
  date === undefined ? '' : date.toISOString().replace('T', ' ').replace('Z', '');

/** Truncates a one-line rendering of a value to `max` characters. */
export const oneLine = (text: string, max = 100): string => {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
