// Nested configuration -> flat MLflow params: {"data.window_size": "14", "model.lr": "0.001"}.
// Arrays stay whole as JSON (["Beauty","Clothing"]) because a list is one setting, not many.

export function flattenParams(obj: object, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value === undefined) continue;
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) {
      Object.assign(out, flattenParams(value as object, name));
    } else if (Array.isArray(value)) {
      out[name] = JSON.stringify(value);
    } else if (value instanceof Date) {
      out[name] = value.toISOString();
    } else {
      out[name] = String(value);
    }
  }
  return out;
}
