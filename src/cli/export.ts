import type { CommandSpec } from "./spec.js";
import { UsageError } from "./spec.js";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
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

/**
 * The ONNX export writes the reference's network (the CNN+LSTM) only: another kind is refused.
 * Its graph normalises every input channel with the sales statistics and has no calendar or
 * covariate inputs, so a network trained with model.features would be exported wrong: refused too.
 */
async function refuseUnexportable(dir: string, category: string): Promise<void> {
  const { META_FILE } = await import("../engine/checkpoint.js");
  const { featureChannelNames, hasFeatures, parseFeatureSpec } = await import("../data/features.js");
  const { readModelInputs } = await import("../forecaster/model-inputs.js");
  const { familyOf } = await import("../models/families.js");
  const { REFERENCE_ARCHITECTURE } = await import("../config/model-kinds.js");
  const { kind } = await readModelInputs(dir);
  const network = familyOf(REFERENCE_ARCHITECTURE);
  if (kind !== network.kind) {
    throw new UsageError(
      `the ${category} model is a ${familyOf(kind).label} (${kind}); the ONNX export writes the ${network.label} (${network.kind}) only: ` +
        `serve this one with salescast serve, or train the ${network.label} (model.architecture=${network.kind}) to export it.`,
    );
  }
  const meta = JSON.parse(await readFile(join(dir, META_FILE), "utf8")) as { extra?: { features?: unknown } };
  const features = parseFeatureSpec(meta.extra?.features);
  if (hasFeatures(features)) {
    throw new UsageError(
      `the ${category} model reads feature channels (${featureChannelNames(features).join(", ")}), which the ONNX export does not build: ` +
        `export a model trained without model.features, or serve this one with salescast serve (POST /api/predict with "last_date" / "covariates").`,
    );
  }
}
