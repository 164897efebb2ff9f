// Calendar feature encoding, checked against values worked out by hand.
import { describe, expect, it } from "vitest";
import {
  CalendarEncoder,
  checkFeatureSpec,
  featureChannelNames,
  FeatureSpecError,
  inputSizeFor,
  NO_FEATURES,
  parseFeatureSpec,
} from "../../src/data/features.js";

const ALL = { day_of_week: true, month: true, holidays: ["2024-12-25"] };
const s = Math.sin;
const c = Math.cos;

describe("calendar feature channels", () => {
  it("names the channels in input order and derives input_size", () => {
    expect(featureChannelNames(NO_FEATURES)).toEqual([]);
    expect(inputSizeFor(NO_FEATURES)).toBe(1);
    expect(featureChannelNames(ALL)).toEqual(["dow_sin", "dow_cos", "month_sin", "month_cos", "holiday"]);
    expect(inputSizeFor(ALL)).toBe(6);
    expect(inputSizeFor({ day_of_week: false, month: true, holidays: [] })).toBe(3);
  });

  it("encodes day of week (Monday = 0) and month (January = 0) as sin/cos pairs", () => {
    const encoder = new CalendarEncoder(ALL, "D");
    // 2024-01-01 is a Monday in January: angle 0 for both.
    expectClose(encoder.values("2024-01-01"), [0, 1, 0, 1, 0]);
    // 2024-01-07 is a Sunday: d = 6, angle 12π/7.
    expectClose(encoder.values("2024-01-07"), [s((12 * Math.PI) / 7), c((12 * Math.PI) / 7), 0, 1, 0]);
    // 2024-04-03 is a Wednesday (d = 2) in April (m = 3: angle π/2).
    expectClose(encoder.values("2024-04-03"), [s((4 * Math.PI) / 7), c((4 * Math.PI) / 7), 1, 0, 0]);
    // 2024-12-25 (Wednesday, December m = 11, a holiday).
    expectClose(encoder.values("2024-12-25"), [s((4 * Math.PI) / 7), c((4 * Math.PI) / 7), s((22 * Math.PI) / 12), c((22 * Math.PI) / 12), 1]);
    expect(encoder.values("2024-12-26")[4]).toBe(0);
  });

  it("marks a weekly period as a holiday when any of its 7 days is one", () => {
    const weekly = new CalendarEncoder({ day_of_week: false, month: false, holidays: ["2024-12-25"] }, "W");
    expect(weekly.values("2024-12-19")).toEqual([1]); // 19..25
    expect(weekly.values("2024-12-18")).toEqual([0]); // 18..24
    expect(weekly.values("2024-12-25")).toEqual([1]);
    expect(weekly.shift(0, 2)).toBe(14);
  });

  it("writes channel-major rows with the given stride", () => {
    const encoder = new CalendarEncoder({ day_of_week: true, month: false, holidays: [] }, "D");
    const out = new Float32Array(6).fill(9);
    encoder.encode(19_723, out, 1, 3); // 2024-01-01
    expect(Array.from(out)).toEqual([9, 0, 9, 9, 1, 9]);
  });

  it("refuses holidays that are not real dates, naming the entry", () => {
    expect(() => checkFeatureSpec({ ...NO_FEATURES, holidays: ["2024-12-25", "2024-02-30"] })).toThrow(
      /model\.features\.holidays\[1\] is "2024-02-30", not a date: write holidays as YYYY-MM-DD/,
    );
    expect(() => new CalendarEncoder({ ...NO_FEATURES, holidays: ["25.12.2024"] }, "D")).toThrow(FeatureSpecError);
  });

  it("reads the spec stored in model.json and refuses a damaged one", () => {
    expect(parseFeatureSpec(undefined)).toBeUndefined();
    expect(parseFeatureSpec(ALL)).toEqual(ALL);
    expect(() => parseFeatureSpec({ day_of_week: "yes", month: false, holidays: [] })).toThrow(/not a feature spec/);
    expect(() => parseFeatureSpec({ day_of_week: true, month: false, holidays: ["never"] })).toThrow(/extra\.features\.holidays\[0\]/);
  });
});

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 6));
}
