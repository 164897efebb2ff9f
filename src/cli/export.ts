import type { CommandSpec } from "./spec.js";
import { UsageError } from "./spec.js";
import { outputOption, resultBesideOutput } from "./out-option.js";

export const exportCommand: CommandSpec = {
  name: "export",
  summary: "write a category's model as a standalone ONNX forecaster (sales units in, sales units out)",
  options: (command) =>
    command
      .option("--category <name>", "the category (default: data.item_id)")
      .option("--format <format>", "export format (onnx)", "onnx")
      .option("--version <n>", "registry version or alias (default: champion, else latest)")
      .option("--out <path>", "output file (default: <category folder name>.onnx in the current folder; - for standard output)"),
  async run({ config, out }, options) {
    if (options.format !== "onnx") throw new UsageError(`unknown --format "${String(options.format)}": the only format is onnx.`);
    const target = await outputOption(options.out, { binary: true });
    const { exportOnnxFile } = await import("../engine/onnx-file.js");
    const { parseVersionRef, servedRegistry, localRegistryRoot } = await import("../registry/index.js");
    const { servedVersion } = await import("../training/evaluate.js");
    const { chosenCategory } = await import("./category.js");
    const registry = servedRegistry(config);
    const category = await chosenCategory(config, out, options.category, () => registry.categories());
    const version = await servedVersion(registry, category, localRegistryRoot(config), parseVersionRef(options.version as string | undefined));
    await refuseUnexportable(version.dir, category);
    const path = target?.path ?? `${version.dir.split(/[\\/]/).at(-2)}.onnx`;
    await exportOnnxFile(version.dir, path);
    const where = path === "-" ? "standard output" : path;
    resultBesideOutput(
      target,
      out,
      { category, version: version.version, format: "onnx", path },
      () => `wrote ${where} (${category}, version ${version.version}): input "series" [batch, ${version.windowSize}], output "forecast" [batch]`,
    );
  },
};

/** The ONNX export writes the reference's network without feature channels only (onnx-eligibility.ts). */
async function refuseUnexportable(dir: string, category: string): Promise<void> {
  const { onnxExportRefusal } = await import("../training/onnx-eligibility.js");
  const reason = await onnxExportRefusal(dir, category);
  if (reason !== undefined) throw new UsageError(reason);
}
