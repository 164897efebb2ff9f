// A version's folder is also an MLflow model folder, so MLflow's own tools load it
// (mlflow.pyfunc.load_model, mlflow.onnx.load_model, `mlflow models serve`):
//
//   MLmodel             flavours onnx and python_function (loader mlflow.onnx), the signature
//   model.onnx          an ONNX graph of the version's one-step forecast: sales units in and out
//   requirements.txt    what `mlflow models serve` installs (python_env.yaml, conda.yaml: the same
//   python_env.yaml     for its virtualenv and conda environment managers)
//   conda.yaml
//
// The graph is, by kind:
//   - the network (CNN+LSTM without feature channels): the ONNX export (src/engine/onnx.ts), the
//     normalisation inside the graph;
//   - a model whose forecast of a window is affine in it (ETS and Holt-Winters with additive
//     parts, ARIMA, Theta, the baselines, ensembles of them): forecast = window·a + c, with a and c
//     measured on the model itself through its own forecast() and checked (mlflow-affine.ts), the
//     stored history before the window inside c. Exact for the default placement: the window
//     replaces the last window_size periods of the stored history (docs/api.md).
//   - a Croston-type model (croston, sba, tsb, the intermittent kind when it chose one): its
//     recursion unrolled over the window (onnx-demand.ts), started from the state after the
//     stored history before the window (mlflow-demand.ts); the same placement.
//   - the GBDT: its one feature row built in the graph from the window and the history before it,
//     then its trees as ONNX-ML's TreeEnsembleRegressor (onnx-gbdt.ts, mlflow-gbdt.ts); the same
//     placement.
// The other kinds (multiplicative Holt-Winters, a GBDT with covariates, a network with feature
// channels, the global network) write no MLmodel: their version carries the tag
// mlflow_model = "none" and the reason instead (docs/mlflow.md). A Python copy of their forecast
// would be a second implementation of each that nothing keeps in step with the one served.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { stringify as toYaml } from "yaml";
import { loadCheckpoint } from "../engine/checkpoint.js";
import { MLFLOW_MODEL_REASON_TAG, MLFLOW_MODEL_TAG } from "../registry/registry.js";
import { exportOnnx, ONNX_INPUT_NAME, ONNX_OUTPUT_NAME } from "../engine/onnx.js";
import { REFERENCE_ARCHITECTURE } from "../config/model-kinds.js";
import { familyOf } from "../models/families.js";
import { readModelInputs } from "../models/model-inputs.js";
import { loadVersion } from "../models/version-file.js";
import { covariatesOf, NO_FEATURES } from "../data/features.js";
import { addForecastNodes, type GraphForm } from "./mlflow-graph.js";
import { WindowGraph } from "../engine/onnx-window-graph.js";
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

/** The ONNX graph of a version's forecast, what it is, and its input and output sizes. */
interface VersionGraph {
  bytes: Uint8Array;
  kind: string;
  /** "network": the network's own graph; the others: mlflow-graph.ts. */
  form: "network" | GraphForm;
  windowSize: number;
  outputSize: number;
}

const GRAPH_FORMS: Record<VersionGraph["form"], string> = {
  network: "the network's own graph",
  affine: "affine: forecast = series · weights + bias, measured on the model through its own forecast and checked",
  demand: "the Croston-type recursion unrolled over the window, started from the state after the stored history before it",
  ets: "the ETS state updates unrolled over the window, started from the states after the stored history before it",
  gbdt: "the GBDT's feature row (lags, rolling means, its scale) gathered from the window and the stored history before it, then its trees (ai.onnx.ml TreeEnsembleRegressor)",
  combination: "the weighted mean of its members' graphs (each affine, a Croston-type or an ETS recursion)",
};

/** The graph of the version in `dir`, or why it has none. */
async function versionGraph(dir: string, category: string): Promise<VersionGraph | { reason: string }> {
  const { kind } = await readModelInputs(dir);
  if (kind === familyOf(REFERENCE_ARCHITECTURE).kind) {
    const refusal = await onnxExportRefusal(dir, category);
    if (refusal !== undefined) return { reason: refusal };
    const { model, meta } = await loadCheckpoint(dir);
    const { windowSize, outputSize } = model.shape;
    return { bytes: exportOnnx(model, meta.normalization, { producerVersion: salescastVersion() }), kind, form: "network", windowSize, outputSize };
  }
  const { model, meta } = await loadVersion(dir);
  const label = familyOf(kind).label;
  // Dates are fixed by the default placement (the stored history's); covariates would be inputs.
  if (covariatesOf(model.inputs?.features ?? NO_FEATURES).length > 0) {
    return { reason: `the ${category} model is a ${label} (${kind}) that reads covariates, which an MLflow model's window input does not carry` };
  }
  const graph = new WindowGraph(meta.window_size);
  const nodes = addForecastNodes(graph, model);
  if ("reason" in nodes) return { reason: `the ${category} model is a ${label} (${kind}): ${nodes.reason}` };
  const bytes = graph.encode(nodes.node, {
    producerVersion: salescastVersion(),
    name: `salescast_${nodes.form}_forecast`,
    docString: `salescast ${label} (${kind}) of ${category}, one-step forecast from a window: ${GRAPH_FORMS[nodes.form]}; sales units in and out.`,
    metadata: { model_kind: kind, onnx_graph: nodes.form },
  });
  return { bytes, kind, form: nodes.form, windowSize: meta.window_size, outputSize: 1 };
}

/**
 * Writes the MLflow model files into the version folder `dir` (which holds model.json and the
 * model's files) when the version has an ONNX graph; returns their paths, or why there is none.
 */
export async function writeMlflowModel(dir: string, category: string, artifactPath = "model"): Promise<MlflowModelOutcome> {
  const graph = await versionGraph(dir, category);
  if ("reason" in graph) return { status: "none", reason: graph.reason };
  const { windowSize, outputSize } = graph;
  const onnxPath = join(dir, MLFLOW_ONNX_FILE);
  await writeFileAtomic(onnxPath, graph.bytes);

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
      model_kind: graph.kind,
      onnx_graph: GRAPH_FORMS[graph.form],
      window_size: windowSize,
      horizon: outputSize,
      units: "sales units in and out: the input is the last window_size periods, oldest first; the output the next horizon periods",
      ...(graph.form !== "network"
        ? { placement: "the window replaces the last window_size periods of the history stored with this version (POST /api/predict without last_date)" }
        : {}),
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
