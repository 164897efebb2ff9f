// Words and spans that follow the data's period: a daily file speaks of days, a weekly one of
// weeks ("Weekly sales", "4-week mean", "Mean per week", "Last 4 weeks"). Every label that names
// a period comes from here, so no page says "day" about a week.
export type Frequency = "D" | "W";

export interface PeriodWords {
  /** "day" / "week". */
  unit: string;
  /** "days" / "weeks". */
  units: string;
  /** "Daily" / "Weekly". */
  adjective: string;
  /** Days one period spans: 1 or 7. */
  days: number;
  /** The span the Explorer compares with the one before it, in periods (4 weeks = 28 days). */
  comparePeriods: number;
  /** Rolling-mean window the Explorer starts with, in periods. */
  defaultMeanWindow: number;
  /** History drawn before the Predict page's window, in periods. */
  contextPeriods: number;
  /** Quick date ranges of the Explorer: label and length in days. */
  quickRanges: Array<[label: string, days: number]>;
}

const WORDS: Record<Frequency, PeriodWords> = {
  D: {
    unit: "day",
    units: "days",
    adjective: "Daily",
    days: 1,
    comparePeriods: 28,
    defaultMeanWindow: 7,
    contextPeriods: 90,
    quickRanges: [
      ["90 days", 90],
      ["1 year", 365],
    ],
  },
  W: {
    unit: "week",
    units: "weeks",
    adjective: "Weekly",
    days: 7,
    comparePeriods: 4,
    defaultMeanWindow: 4,
    contextPeriods: 52,
    quickRanges: [
      ["13 weeks", 91],
      ["1 year", 364],
    ],
  },
};

export function periodWords(frequency: Frequency | undefined): PeriodWords {
  return WORDS[frequency === "W" ? "W" : "D"];
}

/** "1 day", "14 days", "1 week", "4 weeks". */
export function periodCount(count: number, frequency: Frequency | undefined): string {
  const words = periodWords(frequency);
  return `${count} ${count === 1 ? words.unit : words.units}`;
}
