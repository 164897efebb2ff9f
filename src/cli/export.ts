import type { CommandSpec } from "./spec.js";
import { UsageError } from "./spec.js";
import { exportOnnxFile } from "../engine/onnx-file.js";
import { parseVersionRef, servedRegistry, localRegistryRoot } from "../registry/index.js";
import { NoModelError } from "../training/evaluate.js";

export const exportCommand: CommandSpec = {
  name: "export",
  summary: "write a category's model as a standalone ONNX forecaster (sales units in, sales units out)",
  options: (command) =>
    command
      .option("--category <name>", "the category (default: data.item_id)")
      .option("--format <format>", "export format (onnx)", "onnx")
      .option("--version <n>", "registry version or alias (default: champion, else latest)")
      .option("--out <path>", "output file (default: <category folder name>.onnx in the current folder)"),
  async run({ config, out }, options) {
    if (options.format !== "onnx") throw new UsageError(`unknown --format "${String(options.format)}": the only format is onnx.`);
    const category = (options.category as string | undefined) ?? config.data.item_id;
    const version = await servedRegistry(config).resolve(category, parseVersionRef(options.version as string | undefined));
    if (!version) throw new NoModelError(category, localRegistryRoot(config));
    const path = (options.out as string | undefined) ?? `${version.dir.split(/[\\/]/).at(-2)}.onnx`;
    await exportOnnxFile(version.dir, path);
    out.result({ category, version: version.version, format: "onnx", path }, () => `wrote ${path} (${category}, version ${version.version}): input "series" [batch, ${version.windowSize}], output "forecast" [batch]`);
  },
};
