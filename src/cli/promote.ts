import type { CommandSpec } from "./spec.js";
import { UsageError } from "./spec.js";
import { parseIntegerOption } from "./parse.js";
import { DEFAULT_ALIAS } from "../registry/registry.js"; // light: the interface file, not the registry index with its stores

export const promoteCommand: CommandSpec = {
  name: "promote",
  summary: "make a model version the one served: sets the alias champion (local registry or MLflow's)",
  options: (command) =>
    command
      .option("--category <name>", "the category (default: data.item_id)")
      .option("--version <n>", "the registry version to promote")
      .option("--alias <name>", "alias to set", DEFAULT_ALIAS),
  async run({ config, out }, options) {
    if (options.version === undefined) throw new UsageError("salescast promote needs --version N (salescast runs and GET /api/models list the versions).");
    const { servedRegistry } = await import("../registry/index.js");
    const { chosenCategory } = await import("./category.js");
    const registry = servedRegistry(config);
    const category = await chosenCategory(config, out, options.category, () => registry.categories());
    const version = parseIntegerOption("--version", options.version, 1);
    const alias = options.alias as string;
    await registry.setAlias(category, alias, version);
    out.result({ category, version, alias, registry: registry.kind }, () => `${category}: version ${version} is now "${alias}" (${registry.kind} registry)`);
  },
};
