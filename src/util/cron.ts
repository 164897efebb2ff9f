// Cron schedules (schedule.retrain): the five fields of crontab(5), minute hour day-of-month
// month day-of-week, each `*`, a number, a range `a-b`, a step `*/n` or `a-b/n`, or a comma
// list of those; day-of-week 0-7 with 0 and 7 both Sunday. As in cron, when both day fields
// are restricted a day matches either one. Times are UTC (a server's local zone is an
// accident of its host). Written here rather than taken from a package: the whole grammar is
// this file, and the server needs only "the next time after now".

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CronError";
  }
}

export interface CronSchedule {
  readonly source: string;
  /** The first matching minute strictly after `after`. */
  next(after: Date): Date;
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

function parseField(text: string, field: (typeof FIELDS)[number], source: string): Set<number> {
  const values = new Set<number>();
  const bad = (why: string) => new CronError(`schedule ${JSON.stringify(source)}: the ${field.name} field ${JSON.stringify(text)} ${why}`);
  for (const part of text.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw bad(`is not *, a number, a range a-b or a step */n (allowed ${field.min}-${field.max})`);
    const from = match[1] === "*" ? field.min : Number(match[2]);
    const to = match[1] === "*" ? field.max : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? field.max : from;
    const step = match[4] !== undefined ? Number(match[4]) : 1;
    if (from < field.min || to > field.max || from > to) throw bad(`is outside ${field.min}-${field.max}`);
    if (step < 1) throw bad("has a step of 0");
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export function parseCron(source: string): CronSchedule {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new CronError(
      `schedule ${JSON.stringify(source)} needs 5 fields (minute hour day-of-month month day-of-week, e.g. "0 3 * * *" for 03:00 UTC daily), got ${parts.length}`,
    );
  }
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, FIELDS[i], source));
  if (weekdays.has(7)) weekdays.add(0);
  const daysRestricted = parts[2] !== "*";
  const weekdaysRestricted = parts[4] !== "*";
  const dayMatches = (d: Date) => {
    const byDay = days.has(d.getUTCDate());
    const byWeekday = weekdays.has(d.getUTCDay());
    if (daysRestricted && weekdaysRestricted) return byDay || byWeekday;
    return byDay && byWeekday;
  };
  return {
    source,
    next(after: Date): Date {
      const t = new Date(after.getTime());
      t.setUTCSeconds(0, 0);
      t.setUTCMinutes(t.getUTCMinutes() + 1);
      // At most a few years of whole days, then hours, then minutes: a schedule that never
      // matches (31 February) is reported instead of looping.
      const limit = after.getTime() + 5 * 366 * 86_400_000;
      while (t.getTime() <= limit) {
        if (!months.has(t.getUTCMonth() + 1) || !dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!hours.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
          continue;
        }
        if (!minutes.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
          continue;
        }
        return t;
      }
      throw new CronError(`schedule ${JSON.stringify(source)} never matches a date (e.g. 30 February)`);
    },
  };
}
