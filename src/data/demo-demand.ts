// How many transactions a demo category expects on a day: base volume x trend x weekly and
// yearly seasonality x holidays x promotions. Each factor is something a forecaster can learn
// (or should at least be judged on), which is the point of demo data.

import { isoFromEpochDay, weekdayOfEpochDay } from "./dates.js";
import type { SeededRandom } from "./random.js";

export interface CategoryProfile {
  name: string;
  /** Expected transactions on an average day of the first year. */
  baseDaily: number;
  /** Growth of the volume per year (0.1 = +10 % a year). */
  trendPerYear: number;
  /** Amplitude of the yearly cycle and the day of year of its peak. */
  yearlyAmplitude: number;
  yearlyPeakDay: number;
  /** Unit prices sold and how often each is chosen. */
  prices: readonly number[];
  priceWeights: readonly number[];
  /** Share of female customers. */
  femaleShare: number;
}

// Prices are kept close together: a wide price mix makes the daily totals so noisy that the
// weekly pattern drowns (seasonal naive must beat naive on the demo series).
// Sunday .. Saturday: low early in the week, Friday up, weekend peak.
const WEEKLY = [1.35, 0.65, 0.7, 0.8, 0.9, 1.2, 1.75];

const KNOWN_PROFILES: Record<string, Omit<CategoryProfile, "name">> = {
  Beauty: { baseDaily: 24, trendPerYear: 0.08, yearlyAmplitude: 0.1, yearlyPeakDay: 340, prices: [25, 30, 50, 80], priceWeights: [4, 3, 2, 1], femaleShare: 0.68 },
  Clothing: { baseDaily: 28, trendPerYear: 0.05, yearlyAmplitude: 0.18, yearlyPeakDay: 110, prices: [30, 50, 80, 120], priceWeights: [3, 4, 2, 1], femaleShare: 0.55 },
  Electronics: { baseDaily: 16, trendPerYear: 0.12, yearlyAmplitude: 0.15, yearlyPeakDay: 330, prices: [100, 200, 300, 500], priceWeights: [3, 4, 2, 1], femaleShare: 0.4 },
};

/** The built-in profile for Beauty, Clothing, Electronics; a middle-of-the-road one otherwise. */
export function profileFor(name: string): CategoryProfile {
  const known = KNOWN_PROFILES[name];
  if (known) return { name, ...known };
  return { name, baseDaily: 15, trendPerYear: 0.07, yearlyAmplitude: 0.12, yearlyPeakDay: 200, prices: [20, 40, 80, 150], priceWeights: [4, 3, 2, 1], femaleShare: 0.5 };
}

/** Multi-day promotions of one category: [first day, last day, boost]. */
export interface Promotion {
  first: number;
  last: number;
  boost: number;
}

/** Every 5 to 10 weeks a promotion of 3 to 7 days lifting sales by 30 to 80 %. */
export function schedulePromotions(random: SeededRandom, firstDay: number, lastDay: number): Promotion[] {
  const promotions: Promotion[] = [];
  let day = firstDay + random.integer(10, 50);
  while (day <= lastDay) {
    const length = random.integer(3, 7);
    promotions.push({ first: day, last: day + length - 1, boost: random.uniform(1.3, 1.8) });
    day += length + random.integer(35, 70);
  }
  return promotions;
}

/** Days the (imaginary) shop is closed: no transactions in any category. */
export function isClosed(day: number): boolean {
  return isoFromEpochDay(day).endsWith("-12-25");
}

/** The nth (1-based) given weekday of a month, as an epoch day. */
function nthWeekday(year: number, month: number, weekday: number, nth: number): number {
  const first = Date.UTC(year, month - 1, 1) / 86_400_000;
  const offset = (weekday - weekdayOfEpochDay(first) + 7) % 7;
  return first + offset + (nth - 1) * 7;
}

/** Holiday and season effects for a category on a day (1 = none). */
export function holidayFactor(category: string, day: number): number {
  const iso = isoFromEpochDay(day);
  const year = Number(iso.slice(0, 4));
  const monthDay = iso.slice(5);
  const electronics = category === "Electronics";
  const thanksgiving = nthWeekday(year, 11, 4, 4);
  const offset = day - thanksgiving;
  if (offset === 0) return 0.5; // most people are at home
  if (offset === 1) return electronics ? 3.2 : 2.6; // Black Friday
  if (offset === 2 || offset === 3) return 1.7;
  if (offset === 4) return electronics ? 2.5 : 2.0; // Cyber Monday
  if (monthDay >= "12-01" && monthDay <= "12-23") {
    const dayOfMonth = Number(iso.slice(8));
    return 1.2 + (0.8 * dayOfMonth) / 23; // Christmas shopping builds to the last weekend
  }
  if (monthDay === "12-24") return 1.3;
  if (monthDay === "12-26") return 1.5;
  if (monthDay >= "12-27") return 1.1;
  if (monthDay === "01-01") return 0.4; // New Year's Day: short opening hours
  if (monthDay >= "01-02" && monthDay <= "01-31") return 0.8; // January slump
  if (category === "Beauty") {
    if (monthDay >= "02-07" && monthDay <= "02-14") return 1.6; // Valentine's Day
    const mothersDay = nthWeekday(year, 5, 0, 2);
    if (day > mothersDay - 7 && day <= mothersDay) return 1.5;
  }
  if (monthDay >= "08-01" && monthDay <= "08-31") {
    if (category === "Clothing") return 1.35; // back to school
    if (electronics) return 1.25;
  }
  if (electronics && (monthDay === "07-11" || monthDay === "07-12")) return 1.8; // summer deal days
  return 1;
}

/** Expected transactions of `profile` on `day` before promotions and randomness. */
export function expectedTransactions(profile: CategoryProfile, day: number, firstDay: number): number {
  const years = (day - firstDay) / 365.25;
  const dayOfYear = (day - Date.UTC(Number(isoFromEpochDay(day).slice(0, 4)), 0, 1) / 86_400_000) + 1;
  const yearly = 1 + profile.yearlyAmplitude * Math.cos((2 * Math.PI * (dayOfYear - profile.yearlyPeakDay)) / 365.25);
  return (
    profile.baseDaily *
    (1 + profile.trendPerYear * years) *
    WEEKLY[weekdayOfEpochDay(day)] *
    yearly *
    holidayFactor(profile.name, day)
  );
}
