// Settings changed for one piece of work without touching config.yaml (the training routes'
// "overrides"): merged over the loaded configuration like a command line's key.path=value
// overrides, then checked by the same schema, so a value the file would refuse is refused here
// with the same message.
import { configSchema, type Config } from "./schema.js";
import { ConfigError, describeIssue } from "./errors.js";
import { deepMerge, type Tree } from "./tree.js";

/**
 * `config` with `overrides` (a partial tree of sections: {"train": {"max_epochs": 5}}) merged over
 * it. ConfigError names each refused key as `<where>.<section>.<key>` with what was found.
 */
export function withOverrides(config: Config, overrides: Tree, where = "overrides"): Config {
  const merged = deepMerge(config as unknown as Tree, overrides);
  const result = configSchema.safeParse(merged);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => describeIssue(issue, merged, new Map(), `${where}.`)).join("; "));
}
