// Every JSON output uses one key style, snake_case (as the API and MLflow do). This lists the
// keys of a parsed --json output that are not snake_case, with their paths, so a test that
// expects none names each offender. Keys that are data (a covariate or category name, a run
// param such as data.item_id) are the tests' own lower-case or capitalised names, never camelCase.
export function camelCaseKeys(value: unknown, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => camelCaseKeys(item, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [...(/[a-z0-9][A-Z]/.test(key) ? [`${path}.${key}`] : []), ...camelCaseKeys(item, `${path}.${key}`)]);
}
