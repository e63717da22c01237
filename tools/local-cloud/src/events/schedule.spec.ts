import { CronSchedule, InvalidScheduleError, parseScheduleExpression } from './schedule';

const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString().replace(/:00\.000Z$/, 'Z');

/** The next `count` firing times after `from` (ISO, minutes). */
const next = (fields: string, from: string, count = 3): (string | undefined)[] => {
  const cron = CronSchedule.parse(fields);
  const out: (string | undefined)[] = [];
  let at: number | undefined = Date.parse(from);
  for (let i = 0; i < count && at !== undefined; i += 1) {
    at = cron.nextAfter(at);
    out.push(iso(at));
  }
  return out;
};

const reasonOf = (expression: string): string => {
  try {
    parseScheduleExpression(expression);
  } catch (error) {
    if (error instanceof InvalidScheduleError) return error.reason;
    throw error;
  }
  throw new Error(`${expression} was accepted`);
};

describe('parseScheduleExpression', () => {
  it.each([
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(1 hour)', 3_600_000],
    ['rate(12 hours)', 43_200_000],
    ['rate(1 day)', 86_400_000],
    ['rate(7 days)', 604_800_000],
  ])('reads %s as a period of %i ms', (expression, periodMs) => {
    // Act
    const schedule = parseScheduleExpression(expression);
    // Assert
    expect(schedule).toStrictEqual({ kind: 'rate', periodMs });
  });

  it.each([
    ['rate(1 minutes)', 'use "minute" for 1 and "minutes" for more'],
    ['rate(2 hour)', 'use "hour" for 1 and "hours" for more'],
    ['rate(0 days)', 'the rate must be a positive number'],
    ['every 5 minutes', 'it is neither rate(value unit) nor cron(fields)'],
    ['cron(0 12 * * ?)', 'a cron expression has 6 fields, not 5'],
    ['cron(0 12 * * * *)', 'exactly one of Day-of-month and Day-of-week must be "?"'],
    ['cron(0 12 ? * ? *)', 'exactly one of Day-of-month and Day-of-week must be "?"'],
    ['cron(60 12 * * ? *)', 'Minutes value "60" is not valid (0-59)'],
    ['cron(0 24 * * ? *)', 'Hours value "24" is not valid (0-23)'],
    ['cron(0 12 32 * ? *)', 'Day-of-month value "32" is not valid (1-31)'],
    ['cron(0 12 * 13 ? *)', 'Month value "13" is not valid (1-12)'],
    ['cron(0 12 ? * 0 *)', 'Day-of-week value "0" is not valid (1-7)'],
    ['cron(0 12 ? * 8 *)', 'Day-of-week value "8" is not valid (1-7)'],
    ['cron(0 12 * * ? 1969)', 'Year value "1969" is not valid (1970-2199)'],
    ['cron(0 12 * * ? 2030-2020)', 'Year range "2030-2020" is not valid (1970-2199)'],
    ['cron(0/0 12 * * ? *)', 'Minutes step "0" is not valid'],
    ['cron(0 12 ? * 3#1,6#3 *)', 'Day-of-week "3#1,6#3" is not valid (one <weekday>#<1-5> expression only)'],
    ['cron(0 12 ? * 3#6 *)', 'Day-of-week "3#6" is not valid (one <weekday>#<1-5> expression only)'],
    ['cron(0 12 L,15 * ? *)', 'Day-of-month "L,15" is not valid'],
    ['cron(0 12 32W * ? *)', 'Day-of-month "32W" is not valid'],
    ['cron(0 12 ? * 9L *)', 'Day-of-week "9L" is not valid'],
    ['cron(0 12 ? * XYZ *)', 'Day-of-week value "XYZ" is not valid (1-7)'],
  ])('fails when the expression is %s', (expression, reason) => {
    // Act
    const actual = reasonOf(expression);
    // Assert
    expect(actual).toBe(reason);
  });
});

describe('CronSchedule.nextAfter (the examples of the EventBridge documentation, UTC)', () => {
  it.each([
    // 10:00 every day
    ['0 10 * * ? *', '2026-01-01T10:00:00Z', ['2026-01-02T10:00Z', '2026-01-03T10:00Z', '2026-01-04T10:00Z']],
    // 12:15 every day (2026-01-01 is a Thursday)
    [
      '15 12 * * ? *',
      '2026-01-01T00:00:00Z',
      ['2026-01-01T12:15Z', '2026-01-02T12:15Z', '2026-01-03T12:15Z'],
    ],
    // 18:00 Monday through Friday: Thu, Fri, then Mon
    [
      '0 18 ? * MON-FRI *',
      '2026-01-01T00:00:00Z',
      ['2026-01-01T18:00Z', '2026-01-02T18:00Z', '2026-01-05T18:00Z'],
    ],
    // 08:00 on the 1st of every month
    ['0 8 1 * ? *', '2026-01-01T08:00:00Z', ['2026-02-01T08:00Z', '2026-03-01T08:00Z', '2026-04-01T08:00Z']],
    // every 15 minutes
    [
      '0/15 * * * ? *',
      '2026-01-01T00:07:30Z',
      ['2026-01-01T00:15Z', '2026-01-01T00:30Z', '2026-01-01T00:45Z'],
    ],
    // every 10 minutes Monday through Friday (Friday evening → Monday)
    [
      '0/10 * ? * MON-FRI *',
      '2026-01-02T23:45:00Z',
      ['2026-01-02T23:50Z', '2026-01-05T00:00Z', '2026-01-05T00:10Z'],
    ],
    // every 5 minutes between 08:00 and 17:55, Monday through Friday
    [
      '0/5 8-17 ? * MON-FRI *',
      '2026-01-02T17:52:00Z',
      ['2026-01-02T17:55Z', '2026-01-05T08:00Z', '2026-01-05T08:05Z'],
    ],
    // every 30 minutes from 22:00 to 02:00 (a range that wraps), Monday through Friday
    [
      '0/30 22-2 ? * MON-FRI *',
      '2026-01-01T21:00:00Z',
      ['2026-01-01T22:00Z', '2026-01-01T22:30Z', '2026-01-01T23:00Z'],
    ],
    // 1/10: minutes 1, 11, 21, ...
    [
      '1/10 * * * ? *',
      '2026-01-01T00:00:00Z',
      ['2026-01-01T00:01Z', '2026-01-01T00:11Z', '2026-01-01T00:21Z'],
    ],
    // a stepped range
    [
      '10-30/10 9 * * ? *',
      '2026-01-01T00:00:00Z',
      ['2026-01-01T09:10Z', '2026-01-01T09:20Z', '2026-01-01T09:30Z'],
    ],
    // lists and month names
    [
      '0 6,18 1 JAN,JUL ? *',
      '2026-01-01T12:00:00Z',
      ['2026-01-01T18:00Z', '2026-07-01T06:00Z', '2026-07-01T18:00Z'],
    ],
    // L: the last day of the month (February 2028 is a leap month)
    ['0 23 L * ? *', '2028-01-31T23:00:00Z', ['2028-02-29T23:00Z', '2028-03-31T23:00Z', '2028-04-30T23:00Z']],
    // LW: the last weekday of the month (2026-01-31 is a Saturday, 2026-05-31 a Sunday)
    ['0 9 LW * ? *', '2026-01-01T00:00:00Z', ['2026-01-30T09:00Z', '2026-02-27T09:00Z', '2026-03-31T09:00Z']],
    // 3W: the weekday nearest the 3rd (2026-01-03 is a Saturday → Friday the 2nd; 2026-05-03 a Sunday → Monday the 4th)
    ['0 9 3W * ? *', '2026-01-01T00:00:00Z', ['2026-01-02T09:00Z', '2026-02-03T09:00Z', '2026-03-03T09:00Z']],
    ['0 9 3W 5 ? *', '2026-01-01T00:00:00Z', ['2026-05-04T09:00Z', '2027-05-03T09:00Z', '2028-05-03T09:00Z']],
    // 1W never leaves the month: 2026-08-01 is a Saturday → Monday the 3rd
    ['0 9 1W 8 ? *', '2026-01-01T00:00:00Z', ['2026-08-03T09:00Z', '2027-08-02T09:00Z', '2028-08-01T09:00Z']],
    // 6L: the last Friday of the month
    [
      '15 10 ? * 6L *',
      '2026-01-01T00:00:00Z',
      ['2026-01-30T10:15Z', '2026-02-27T10:15Z', '2026-03-27T10:15Z'],
    ],
    // 3#2: the second Tuesday of the month
    [
      '0 12 ? * 3#2 *',
      '2026-01-01T00:00:00Z',
      ['2026-01-13T12:00Z', '2026-02-10T12:00Z', '2026-03-10T12:00Z'],
    ],
    // FRI#5: only months with a fifth Friday
    [
      '0 12 ? * FRI#5 *',
      '2026-01-01T00:00:00Z',
      ['2026-01-30T12:00Z', '2026-05-29T12:00Z', '2026-07-31T12:00Z'],
    ],
    // L alone in Day-of-week: Saturday
    ['0 0 ? * L *', '2026-01-01T00:00:00Z', ['2026-01-03T00:00Z', '2026-01-10T00:00Z', '2026-01-17T00:00Z']],
    // February 29th only in leap years
    ['0 0 29 2 ? *', '2026-01-01T00:00:00Z', ['2028-02-29T00:00Z', '2032-02-29T00:00Z', '2036-02-29T00:00Z']],
    // day 31 skips short months
    ['0 0 31 * ? *', '2026-01-31T00:00:00Z', ['2026-03-31T00:00Z', '2026-05-31T00:00Z', '2026-07-31T00:00Z']],
    // years
    [
      '0 0 1 1 ? 2027,2030-2031',
      '2026-06-01T00:00:00Z',
      ['2027-01-01T00:00Z', '2030-01-01T00:00Z', '2031-01-01T00:00Z'],
    ],
  ])('cron(%s) after %s fires at %j', (fields, from, expected) => {
    // Act
    const actual = next(fields, from);
    // Assert
    expect(actual).toStrictEqual(expected);
  });

  it('returns undefined once the last year has passed', () => {
    // Arrange
    const cron = CronSchedule.parse('0 0 1 1 ? 2027');
    // Act
    const after = cron.nextAfter(Date.parse('2027-01-01T00:00:00Z'));
    // Assert
    expect(after).toBeUndefined();
  });

  it('fires strictly after the given time, on whole minutes', () => {
    // Arrange
    const cron = CronSchedule.parse('* * * * ? *');
    // Act
    const fromExact = cron.nextAfter(Date.parse('2026-01-01T00:00:00Z'));
    const fromMidMinute = cron.nextAfter(Date.parse('2026-01-01T00:00:59.999Z'));
    // Assert
    expect([iso(fromExact), iso(fromMidMinute)]).toStrictEqual(['2026-01-01T00:01Z', '2026-01-01T00:01Z']);
  });
});
