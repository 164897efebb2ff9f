import { UsageError } from "./spec.js";

export function parseIntegerOption(name: string, value: unknown, min = 0): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) {
    throw new UsageError(`${name} must be a whole number ≥ ${min}, got "${String(value)}".`);
  }
  return number;
}
