/** The url with any password replaced by ***, for messages, logs and logged params. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparseable url)";
  }
}
