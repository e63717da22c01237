/**
 * EventBridge schedule expressions: `rate(value unit)` and `cron(minutes hours day-of-month month day-of-week year)`
 * with AWS's cron syntax (UTC; `,` `-` `*` `/` in every field, `?` `L` `W` in day-of-month, `?` `L` `#` in
 * day-of-week, month and weekday names, weekdays 1 = SUN … 7 = SAT, years 1970–2199; exactly one of the two day
 * fields is `?`).
 *
 * No npm library was kept: `cron-parser` and `croner` read a sixth field as seconds (not years) and number weekdays
 * from 0; `aws-cron-parser` validates nothing (any text parses), reads `10-30/5` as `10/5` and has no `LW`.
 */

/** A parsed schedule expression. */
export type Schedule =
  | { readonly kind: 'rate'; readonly periodMs: number }
  | { readonly kind: 'cron'; readonly cron: CronSchedule };

/** Thrown for an expression AWS would refuse; `reason` says which part is wrong. */
export class InvalidScheduleError extends Error {
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`Invalid schedule expression ${JSON.stringify(expression)}: ${reason}`);
    this.name = 'InvalidScheduleError';
  }
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const UNIT_MS: Readonly<Record<string, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MIN_YEAR = 1970;
const MAX_YEAR = 2199;

/** How a day of the month is chosen. */
type DaySpec =
  | { readonly kind: 'any' }
  | { readonly kind: 'days'; readonly days: ReadonlySet<number> }
  | { readonly kind: 'last' }
  | { readonly kind: 'lastWeekday' }
  | { readonly kind: 'nearestWeekday'; readonly day: number }
  | { readonly kind: 'weekdays'; readonly weekdays: ReadonlySet<number> }
  | { readonly kind: 'lastOfWeekday'; readonly weekday: number }
  | { readonly kind: 'nthWeekday'; readonly weekday: number; readonly nth: number };

interface FieldRange {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Whether a range may wrap around (`20-2`); not for years. */
  readonly cyclic: boolean;
}

const FIELDS = {
  minutes: { name: 'Minutes', min: 0, max: 59, cyclic: true },
  hours: { name: 'Hours', min: 0, max: 23, cyclic: true },
  dayOfMonth: { name: 'Day-of-month', min: 1, max: 31, cyclic: true },
  month: { name: 'Month', min: 1, max: 12, names: MONTHS, cyclic: true },
  dayOfWeek: { name: 'Day-of-week', min: 1, max: 7, names: WEEKDAYS, cyclic: true },
  year: { name: 'Year', min: MIN_YEAR, max: MAX_YEAR, cyclic: false },
} as const satisfies Record<string, FieldRange>;

/** A field value: a number in range or (month, weekday) a three-letter name; `undefined` when neither. */
const valueOf = (text: string, field: FieldRange): number | undefined => {
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) return index + 1;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= field.min && value <= field.max ? value : undefined;
};

/** The values of a field made of `,` `-` `*` `/` parts, e.g. `0/15`, `MON-FRI`, `1,15,L`-free lists. */
const parseValues = (text: string, field: FieldRange, fail: (reason: string) => never): Set<number> => {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText, ...extra] = part.split('/');
    if (extra.length > 0) fail(`${field.name} has more than one "/" in "${part}"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1)
        fail(`${field.name} step "${stepText}" is not valid`);
      step = Number(stepText);
    }
    let from: number | undefined;
    let to: number | undefined;
    if (range === '*') {
      from = field.min;
      to = field.max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      from = valueOf(a, field);
      to = valueOf(b, field);
      if (from === undefined || to === undefined || (from > to && !field.cyclic)) {
        fail(`${field.name} range "${range}" is not valid (${field.min}-${field.max})`);
      }
      // A range that wraps (hours `20-2`, `FRI-MON`) runs past the maximum and on from the minimum, as in Quartz.
      if (from > to) to += field.max - field.min + 1;
    } else {
      from = valueOf(range, field);
      if (from === undefined) fail(`${field.name} value "${range}" is not valid (${field.min}-${field.max})`);
      to = stepText === undefined ? from : field.max;
    }
    const size = field.max - field.min + 1;
    for (let value = from; value <= to; value += step) values.add(value > field.max ? value - size : value);
  }
  return values;
};

const parseDayOfMonth = (text: string, fail: (reason: string) => never): DaySpec => {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'last' };
  if (text === 'LW') return { kind: 'lastWeekday' };
  const nearest = /^(\d+)W$/.exec(text);
  if (nearest !== null) {
    const day = valueOf(nearest[1] ?? '', FIELDS.dayOfMonth);
    if (day === undefined) fail(`Day-of-month "${text}" is not valid`);
    return { kind: 'nearestWeekday', day };
  }
  if (/[LW#]/i.test(text)) fail(`Day-of-month "${text}" is not valid`);
  return { kind: 'days', days: parseValues(text, FIELDS.dayOfMonth, fail) };
};

const parseDayOfWeek = (text: string, fail: (reason: string) => never): DaySpec => {
  if (text === '?') return { kind: 'any' };
  // `L` alone is the last day of the week (Saturday), as in Quartz.
  if (text === 'L') return { kind: 'weekdays', weekdays: new Set([7]) };
  const last = /^(\w+)L$/i.exec(text);
  if (last !== null) {
    const weekday = valueOf(last[1] ?? '', FIELDS.dayOfWeek);
    if (weekday === undefined) fail(`Day-of-week "${text}" is not valid`);
    return { kind: 'lastOfWeekday', weekday };
  }
  if (text.includes('#')) {
    const nth = /^(\w+)#([1-5])$/.exec(text);
    const weekday = valueOf(nth?.[1] ?? '', FIELDS.dayOfWeek);
    if (nth === null || weekday === undefined) {
      fail(`Day-of-week "${text}" is not valid (one <weekday>#<1-5> expression only)`);
    }
    return { kind: 'nthWeekday', weekday, nth: Number(nth[2]) };
  }
  return { kind: 'weekdays', weekdays: parseValues(text, FIELDS.dayOfWeek, fail) };
};

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** 1 = Sunday … 7 = Saturday. */
const weekdayOf = (year: number, month: number, day: number): number =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
const isWorkday = (weekday: number): boolean => weekday >= 2 && weekday <= 6;

/** The weekday nearest to `day` within its month (Saturday → Friday, Sunday → Monday, never across months). */
const nearestWorkday = (year: number, month: number, day: number): number => {
  const last = daysInMonth(year, month);
  const target = Math.min(day, last);
  const weekday = weekdayOf(year, month, target);
  if (weekday === 7) return target === 1 ? 3 : target - 1;
  if (weekday === 1) return target === last ? target - 2 : target + 1;
  return target;
};

const dayMatches = (spec: DaySpec, year: number, month: number, day: number): boolean => {
  const last = daysInMonth(year, month);
  switch (spec.kind) {
    case 'any':
      return true;
    case 'days':
      return spec.days.has(day);
    case 'last':
      return day === last;
    case 'lastWeekday': {
      let workday = last;
      while (!isWorkday(weekdayOf(year, month, workday))) workday -= 1;
      return day === workday;
    }
    case 'nearestWeekday':
      return day === nearestWorkday(year, month, spec.day);
    case 'weekdays':
      return spec.weekdays.has(weekdayOf(year, month, day));
    case 'lastOfWeekday':
      return weekdayOf(year, month, day) === spec.weekday && day + 7 > last;
    case 'nthWeekday':
      return weekdayOf(year, month, day) === spec.weekday && Math.ceil(day / 7) === spec.nth;
  }
};

const first = (values: ReadonlySet<number>, atLeast: number): number | undefined => {
  let best: number | undefined;
  for (const value of values) if (value >= atLeast && (best === undefined || value < best)) best = value;
  return best;
};

/** A parsed `cron(...)` expression: which minutes (UTC) it fires at. */
export class CronSchedule {
  private constructor(
    private readonly minutes: ReadonlySet<number>,
    private readonly hours: ReadonlySet<number>,
    private readonly day: DaySpec,
    private readonly months: ReadonlySet<number>,
    private readonly years: ReadonlySet<number>,
  ) {}

  /**
   * Parses the six fields inside `cron(...)`.
   * @throws InvalidScheduleError naming the field that is wrong.
   */
  static parse(fields: string, expression = `cron(${fields})`): CronSchedule {
    const fail = (reason: string): never => {
      throw new InvalidScheduleError(expression, reason);
    };
    const parts = fields.trim().split(/\s+/);
    if (parts.length !== 6) fail(`a cron expression has 6 fields, not ${parts.length}`);
    const [minutes = '', hours = '', dom = '', month = '', dow = '', year = ''] = parts;
    if ((dom === '?') === (dow === '?')) {
      fail('exactly one of Day-of-month and Day-of-week must be "?"');
    }
    const day = dom === '?' ? parseDayOfWeek(dow, fail) : parseDayOfMonth(dom, fail);
    return new CronSchedule(
      parseValues(minutes, FIELDS.minutes, fail),
      parseValues(hours, FIELDS.hours, fail),
      day,
      parseValues(month, FIELDS.month, fail),
      parseValues(year, FIELDS.year, fail),
    );
  }

  /** The first time (epoch ms, on a whole minute) strictly after `afterMs` it fires; undefined when never again. */
  nextAfter(afterMs: number): number | undefined {
    const start = Math.floor(afterMs / 60_000) * 60_000 + 60_000;
    const from = new Date(start);
    let year = from.getUTCFullYear();
    let month = from.getUTCMonth() + 1;
    let day = from.getUTCDate();
    let minuteOfDay = from.getUTCHours() * 60 + from.getUTCMinutes();
    while (year <= MAX_YEAR) {
      if (!this.years.has(year)) {
        const nextYear = first(this.years, year + 1);
        if (nextYear === undefined) return undefined;
        [year, month, day, minuteOfDay] = [nextYear, 1, 1, 0];
        continue;
      }
      if (!this.months.has(month)) {
        const nextMonth = first(this.months, month + 1);
        if (nextMonth === undefined) [year, month] = [year + 1, 1];
        else month = nextMonth;
        [day, minuteOfDay] = [1, 0];
        continue;
      }
      if (day > daysInMonth(year, month)) {
        [month, day, minuteOfDay] = [month + 1, 1, 0];
        if (month > 12) [year, month] = [year + 1, 1];
        continue;
      }
      if (dayMatches(this.day, year, month, day)) {
        const at = this.timeOfDay(minuteOfDay);
        if (at !== undefined) return Date.UTC(year, month - 1, day) + at * 60_000;
      }
      [day, minuteOfDay] = [day + 1, 0];
    }
    return undefined;
  }

  /** The first firing minute of a day at or after `minuteOfDay`. */
  private timeOfDay(minuteOfDay: number): number | undefined {
    const hour = Math.floor(minuteOfDay / 60);
    for (let h = first(this.hours, hour); h !== undefined; h = first(this.hours, h + 1)) {
      const minute = first(this.minutes, h === hour ? minuteOfDay % 60 : 0);
      if (minute !== undefined) return h * 60 + minute;
    }
    return undefined;
  }
}

/**
 * Parses a ScheduleExpression as EventBridge accepts it.
 * @throws InvalidScheduleError when AWS would refuse it.
 */
export const parseScheduleExpression = (expression: string): Schedule => {
  const rate = RATE.exec(expression);
  if (rate !== null) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? '';
    const singular = unit.replace(/s$/, '');
    if (value < 1) throw new InvalidScheduleError(expression, 'the rate must be a positive number');
    if ((value === 1) !== (unit === singular)) {
      throw new InvalidScheduleError(expression, `use "${singular}" for 1 and "${singular}s" for more`);
    }
    return { kind: 'rate', periodMs: value * (UNIT_MS[singular] ?? 0) };
  }
  const cron = CRON.exec(expression);
  if (cron !== null) return { kind: 'cron', cron: CronSchedule.parse(cron[1] ?? '', expression) };
  throw new InvalidScheduleError(expression, 'it is neither rate(value unit) nor cron(fields)');
};
