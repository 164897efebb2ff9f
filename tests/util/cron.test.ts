// parseCron (schedule.retrain): the next matching minute in UTC, crontab's rules for the two
// day fields, and clear refusals of what cron would not take.
import { describe, expect, it } from "vitest";
import { CronError, parseCron } from "../../src/util/cron.js";

const next = (schedule: string, after: string) => parseCron(schedule).next(new Date(after)).toISOString();

describe("parseCron", () => {
  it("finds the next minute strictly after the given time", () => {
    expect(next("* * * * *", "2026-12-04T10:15:30Z")).toBe("2026-12-04T10:16:00.000Z");
    expect(next("0 3 * * *", "2026-12-04T02:59:00Z")).toBe("2026-12-04T03:00:00.000Z");
    expect(next("0 3 * * *", "2026-12-04T03:00:00Z")).toBe("2026-12-05T03:00:00.000Z");
    expect(next("*/15 * * * *", "2026-12-04T10:16:00Z")).toBe("2026-12-04T10:30:00.000Z");
    expect(next("5,50 8-9 * * *", "2026-12-04T09:51:00Z")).toBe("2026-12-05T08:05:00.000Z");
  });

  it("crosses months and years, and knows leap days", () => {
    expect(next("0 0 1 * *", "2026-12-04T00:00:00Z")).toBe("2027-01-01T00:00:00.000Z");
    expect(next("0 12 29 2 *", "2026-03-01T00:00:00Z")).toBe("2028-02-29T12:00:00.000Z");
  });

  it("takes day of week 0 and 7 as Sunday, and either day field when both are set", () => {
    // 2026-12-04 is a Friday.
    expect(next("0 6 * * 0", "2026-12-04T00:00:00Z")).toBe("2026-12-06T06:00:00.000Z");
    expect(next("0 6 * * 7", "2026-12-04T00:00:00Z")).toBe("2026-12-06T06:00:00.000Z");
    expect(next("0 6 * * 1-5", "2026-12-05T00:00:00Z")).toBe("2026-12-07T06:00:00.000Z");
    // The 10th (a Thursday) or any Monday, whichever comes first.
    expect(next("0 0 10 * 1", "2026-12-04T00:00:00Z")).toBe("2026-12-07T00:00:00.000Z");
    expect(next("0 0 10 * 1", "2026-12-08T00:00:00Z")).toBe("2026-12-10T00:00:00.000Z");
  });

  it("refuses what cron would not take, naming the field", () => {
    expect(() => parseCron("0 3 * *")).toThrow(/needs 5 fields .* got 4/);
    expect(() => parseCron("60 * * * *")).toThrow(/the minute field "60" is outside 0-59/);
    expect(() => parseCron("0 24 * * *")).toThrow(/hour field "24" is outside 0-23/);
    expect(() => parseCron("0 0 0 * *")).toThrow(/day of month field "0"/);
    expect(() => parseCron("*/0 * * * *")).toThrow(/step of 0/);
    expect(() => parseCron("0 0 * * MON")).toThrow(CronError);
    expect(() => parseCron("5-1 * * * *")).toThrow(/outside 0-59/);
    expect(() => parseCron("0 0 30 2 *").next(new Date("2026-01-01T00:00:00Z"))).toThrow(/never matches/);
  });
});
