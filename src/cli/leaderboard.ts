import type { CommandSpec } from "./spec.js";
import { UsageError } from "./spec.js";

export const leaderboardCommand: CommandSpec = {
  name: "leaderboard",
  summary:
    "the tournament behind a version trained with model.architecture auto: every candidate's selection and evaluation MASE, skip reasons, the champion and why",
  options: (command) =>
    command
      .option("--category <name>", "the category (default: data.item_id)")
      .option("--version <ref>", "a version number or alias (default: the version served)"),
  async run({ config, out }, options) {
    const { servedRegistry, parseVersionRef } = await import("../registry/index.js");
    const { readLeaderboard } = await import("../training/leaderboard-file.js");
    const { formatLeaderboard } = await import("../backtest/leaderboard-format.js");
    const { chosenCategory } = await import("./category.js");
    const registry = servedRegistry(config);
    const category = await chosenCategory(config, out, options.category, () => registry.categories());
    const info = await registry.resolve(category, parseVersionRef(options.version as string | undefined));
    if (!info)
      throw new UsageError(
        `no version ${options.version === undefined ? "served" : JSON.stringify(options.version)} for category "${category}" (salescast runs lists the versions; train one with salescast train --auto).`,
      );
    const board = await readLeaderboard(info.dir);
    if (!board) {
      throw new UsageError(
        `version ${info.version} of "${category}" was not trained with model.architecture auto, so it has no leaderboard: train it with salescast train --auto --category ${JSON.stringify(category)}.`,
      );
    }
    out.result({ category, version: info.version, aliases: info.aliases, leaderboard: board }, () => formatLeaderboard(board, info.version));
  },
};
