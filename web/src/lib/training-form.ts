// The Train page's settings: what the form holds, the "overrides" it sends (only what differs
// from the server's configuration), and which field an API refusal is about, so the server's
// message appears next to that field. The server checks the values (the same rules as
// config.yaml); the page only makes sure each box holds a whole number before sending.
import type { TrainingDefaults, TrainingOverrides } from "../api-types.js";

export interface TrainingForm {
  epochs: string;
  window: string;
  seed: string;
  dayOfWeek: boolean;
  month: boolean;
  architecture: string;
}

export type TrainingField = keyof TrainingForm | "categories" | "experiment";

export function formFromDefaults(defaults: TrainingDefaults): TrainingForm {
  return {
    epochs: String(defaults.max_epochs),
    window: String(defaults.window_size),
    seed: String(defaults.seed),
    dayOfWeek: defaults.features.day_of_week,
    month: defaults.features.month,
    architecture: defaults.architecture,
  };
}

/** Boxes that do not hold a whole number, with what to type. */
export function formProblems(form: TrainingForm): Partial<Record<TrainingField, string>> {
  const problems: Partial<Record<TrainingField, string>> = {};
  for (const field of ["epochs", "window", "seed"] as const) {
    if (!/^[+-]?\d+$/.test(form[field].trim())) problems[field] = "type a whole number";
  }
  return problems;
}

/** The overrides for POST /api/train: the settings that differ from the server's defaults. */
export function overridesFrom(form: TrainingForm, defaults: TrainingDefaults): TrainingOverrides {
  const overrides: TrainingOverrides = {};
  const epochs = Number(form.epochs.trim());
  const seed = Number(form.seed.trim());
  const window = Number(form.window.trim());
  const train: NonNullable<TrainingOverrides["train"]> = {};
  if (epochs !== defaults.max_epochs) train.max_epochs = epochs;
  if (seed !== defaults.seed) train.seed = seed;
  if (Object.keys(train).length > 0) overrides.train = train;
  if (window !== defaults.window_size) overrides.data = { window_size: window };
  const model: NonNullable<TrainingOverrides["model"]> = {};
  if (form.architecture !== defaults.architecture) model.architecture = form.architecture;
  const features: { day_of_week?: boolean; month?: boolean } = {};
  if (form.dayOfWeek !== defaults.features.day_of_week) features.day_of_week = form.dayOfWeek;
  if (form.month !== defaults.features.month) features.month = form.month;
  if (Object.keys(features).length > 0) model.features = features;
  if (Object.keys(model).length > 0) overrides.model = model;
  return overrides;
}

/** Which field a refusal names ("overrides.data.window_size: must be at least 3 ..."), if any. */
export function fieldOfError(message: string): TrainingField | undefined {
  const fields: Array<[RegExp, TrainingField]> = [
    [/\btrain\.max_epochs\b/, "epochs"],
    [/\bdata\.window_size\b/, "window"],
    [/\btrain\.seed\b/, "seed"],
    [/\bmodel\.architecture\b/, "architecture"],
    [/\bmodel\.features\.day_of_week\b/, "dayOfWeek"],
    [/\bmodel\.features\.month\b/, "month"],
    [/\bexperiment_name\b/, "experiment"],
    [/\bcategor(y|ies)\b/, "categories"],
  ];
  return fields.find(([pattern]) => pattern.test(message))?.[1];
}

/** A job's overrides in words: "3 epochs · window 7 · seed 7 · day of week on". */
export function describeOverrides(overrides: TrainingOverrides, units: string): string {
  const parts: string[] = [];
  if (overrides.train?.max_epochs !== undefined) parts.push(`${overrides.train.max_epochs} epoch${overrides.train.max_epochs === 1 ? "" : "s"}`);
  if (overrides.data?.window_size !== undefined) parts.push(`window ${overrides.data.window_size} ${units}`);
  if (overrides.train?.seed !== undefined) parts.push(`seed ${overrides.train.seed}`);
  if (overrides.model?.architecture !== undefined) parts.push(overrides.model.architecture);
  const features = overrides.model?.features ?? {};
  if (features.day_of_week !== undefined) parts.push(`day of week ${features.day_of_week ? "on" : "off"}`);
  if (features.month !== undefined) parts.push(`month ${features.month ? "on" : "off"}`);
  return parts.join(" · ");
}
