// Which registered versions the ONNX export can write: the reference's network (the CNN+LSTM)
// without feature channels. Its graph normalises every input channel with the sales statistics
// and has no calendar or covariate inputs, so a network trained with model.features would be
// exported wrong, and the other kinds (ETS, Theta, gradient boosting...) are not networks.
// `salescast export` refuses with this reason; training logs no MLflow ONNX model for it.
import { REFERENCE_ARCHITECTURE } from "../config/model-kinds.js";
import { readModelInputs } from "../models/model-inputs.js";
import { familyOf } from "../models/families.js";

/** Why the version in `dir` cannot be exported to ONNX, with what to do instead; undefined when it can. */
export async function onnxExportRefusal(dir: string, category: string): Promise<string | undefined> {
  const { kind, channels } = await readModelInputs(dir);
  const network = familyOf(REFERENCE_ARCHITECTURE);
  if (kind !== network.kind) {
    return (
      `the ${category} model is a ${familyOf(kind).label} (${kind}); the ONNX export writes the ${network.label} (${network.kind}) only: ` +
      `serve this one with salescast serve, or train the ${network.label} (model.architecture=${network.kind}) to export it.`
    );
  }
  const features = channels.slice(1);
  if (features.length > 0) {
    return (
      `the ${category} model reads feature channels (${features.join(", ")}), which the ONNX export does not build: ` +
      `export a model trained without model.features, or serve this one with salescast serve (POST /api/predict with "last_date" / "covariates").`
    );
  }
  return undefined;
}
