// Natural order of series names ("2" before "10"), as a shared collator: String.localeCompare
// with a locale and options builds a collator on every call, which made sorting 42,840 level
// series names take seconds; one collator sorts them in milliseconds.

export const naturalCompare = new Intl.Collator("en", { numeric: true }).compare;
