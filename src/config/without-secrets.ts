// The configuration as it may be written where others read it (a run's logged params, the
// tracking UI): the passwords that settings can carry inside a url are replaced by ***.
// queue.url (redis://:password@host) and tracking.uri (http://user:password@mlflow) may hold one.
import { redactedUrl } from "../util/redacted-url.js";
import type { Config } from "./schema.js";

export function withoutSecrets(config: Config): Config {
  const hidden = (url: string) => (url && /^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(url) ? redactedUrl(url) : url);
  return {
    ...config,
    tracking: { ...config.tracking, uri: hidden(config.tracking.uri) },
    queue: { ...config.queue, url: hidden(config.queue.url) },
  };
}
