// A network version's folder is also an MLflow model folder, so MLflow's own tools load it
// (mlflow.pyfunc.load_model, mlflow.onnx.load_model, `mlflow models serve`):
//
//   MLmodel             flavours onnx and python_function (loader mlflow.onnx), the signature
//   model.onnx          the ONNX export (src/engine/onnx.ts): sales units in and out, the
//                       normalisation inside the graph
//   requirements.txt    what `mlflow models serve` installs (python_env.yaml, conda.yaml: the same
//   python_env.yaml     for its virtualenv and conda environment managers)
//   conda.yaml
//
// Only the CNN+LSTM without feature channels has an ONNX graph (onnx-eligibility.ts). The other
// kinds (ETS, Theta, gradient boosting, ...) write no MLmodel: there is no ONNX graph of them,
// and a pyfunc flavour would have to re-implement each kind's forecast in Python, a second copy
// of every model that nothing would keep in step with the TypeScript one. Their version carries
// the tag mlflow_model = "none" and the reason instead (docs/mlflow.md).
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { stringify as toYaml } from "yaml";
import { loadCheckpoint } from "../engine/checkpoint.js";
import { MLFLOW_MODEL_REASON_TAG, MLFLOW_MODEL_TAG } from "../registry/registry.js";
import { exportOnnx, ONNX_INPUT_NAME, ONNX_OUTPUT_NAME } from "../engine/onnx.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import { salescastVersion } from "../version.js";
import { onnxExportRefusal } from "./onnx-eligibility.js";

export const MLMODEL_FILE = "MLmodel";
export const MLFLOW_ONNX_FILE = "model.onnx";

/**
 * What the loaders need: mlflow 3 runs on Python 3.10+; onnxruntime 1.16 is the oldest the
 * graph (opset 17, IR 8) was checked against here, tests/mlflow/pyfunc-model.test.ts pins the
 * one it runs.
 */
const PYTHON_VERSION = "3.10";
const REQUIREMENTS = ["mlflow>=3", "onnxruntime>=1.16", "numpy", "pandas"];

export type MlflowModelOutcome = { status: "written"; files: string[] } | { status: "none"; reason: string };

/**
 * The run's tags saying whether its "model" folder is an MLflow model; registering the run copies
 * them to the version (src/registry/mlflow/mlflow-registry.ts).
 */
export function mlflowModelTags(outcome: MlflowModelOutcome): Record<string, string> {
  return outcome.status === "written"
    ? { [MLFLOW_MODEL_TAG]: "onnx" }
    : { [MLFLOW_MODEL_TAG]: "none", [MLFLOW_MODEL_REASON_TAG]: `no MLflow model (MLmodel) is logged for it: ${outcome.reason}` };
}

/** The tensor specs of the signature, in MLflow's JSON form (a string inside MLmodel's YAML). */
export function mlflowSignature(windowSize: number, outputSize: number): { inputs: string; outputs: string; params: null } {
  const tensor = (name: string, shape: number[]) => ({ type: "tensor", "tensor-spec": { dtype: "float32", shape }, name });
  return {
    inputs: JSON.stringify([tensor(ONNX_INPUT_NAME, [-1, windowSize])]),
    outputs: JSON.stringify([tensor(ONNX_OUTPUT_NAME, outputSize === 1 ? [-1] : [-1, outputSize])]),
    params: null,
  };
}

/**
 * Writes the MLflow model files into the version folder `dir` (which holds model.json and the
 * weights) when the model has an ONNX graph; returns their paths, or why there is none.
 */
export async function writeMlflowModel(dir: string, category: string, artifactPath = "model"): Promise<MlflowModelOutcome> {
  const refusal = await onnxExportRefusal(dir, category);
  if (refusal !== undefined) return { status: "none", reason: refusal };
  const { model, meta } = await loadCheckpoint(dir);
  const { windowSize, outputSize } = model.shape;
  const onnxPath = join(dir, MLFLOW_ONNX_FILE);
  await writeFileAtomic(onnxPath, exportOnnx(model, meta.normalization, { producerVersion: salescastVersion() }));

  const mlmodel = {
    artifact_path: artifactPath,
    flavors: {
      onnx: { code: null, data: MLFLOW_ONNX_FILE, providers: ["CPUExecutionProvider"] },
      python_function: {
        data: MLFLOW_ONNX_FILE,
        env: { conda: "conda.yaml", virtualenv: "python_env.yaml" },
        loader_module: "mlflow.onnx",
        python_version: PYTHON_VERSION,
      },
    },
    metadata: {
      producer: "salescast",
      salescast_version: salescastVersion(),
      category,
      model_kind: "cnn_lstm",
      window_size: windowSize,
      horizon: outputSize,
      units: "sales units in and out: the input is the last window_size periods, oldest first; the output the next horizon periods",
    },
    model_uuid: randomUUID().replaceAll("-", ""),
    signature: mlflowSignature(windowSize, outputSize),
    utc_time_created: new Date().toISOString().replace("T", " ").replace("Z", ""),
  };
  const files: Array<[string, string]> = [
    [MLMODEL_FILE, toYaml(mlmodel)],
    ["requirements.txt", `${REQUIREMENTS.join("\n")}\n`],
    ["python_env.yaml", toYaml({ python: PYTHON_VERSION, build_dependencies: ["pip"], dependencies: ["-r requirements.txt"] })],
    ["conda.yaml", toYaml({ name: "salescast_env", channels: ["conda-forge"], dependencies: [`python=${PYTHON_VERSION}`, "pip", { pip: REQUIREMENTS }] })],
  ];
  const written = [onnxPath];
  for (const [name, text] of files) {
    const path = join(dir, name);
    await writeFileAtomic(path, text);
    written.push(path);
  }
  return { status: "written", files: written };
}
