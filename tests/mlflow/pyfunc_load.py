"""Loads salescast's registered models with MLflow's own tools (tests/mlflow/pyfunc-model.test.ts).

Reads one JSON request on stdin:
  {"model_uri": "models:/salescast-X@champion", "windows": [[...], ...],
   "unloadable_uri": "models:/salescast-Y/1"}   (optional: a version that has no MLmodel)
and prints one JSON answer on stdout: the pyfunc forecast of each window, what the MLmodel file
says (flavours, signature), the answer of MLflow's serving-input check (what `mlflow models
serve` would run for a request), and the error loading the unloadable version gives.
MLFLOW_TRACKING_URI names the server.
"""

import json
import sys
import tempfile

import numpy as np

import mlflow
from mlflow.artifacts import download_artifacts
from mlflow.models import Model, validate_serving_input


def main() -> None:
    request = json.load(sys.stdin)
    uri = request["model_uri"]
    windows = np.asarray(request["windows"], dtype=np.float32)
    model = mlflow.pyfunc.load_model(uri)
    forecast = model.predict(windows)["forecast"]

    with tempfile.TemporaryDirectory() as folder:
        local = download_artifacts(artifact_uri=uri, dst_path=folder)
        mlmodel = Model.load(local)
        signature = mlmodel.signature
        answer = {
            "forecast": [float(v) for v in np.asarray(forecast).reshape(-1)],
            "flavors": sorted(mlmodel.flavors),
            "loader_module": mlmodel.flavors["python_function"]["loader_module"],
            "signature_inputs": signature.inputs.to_dict() if signature else None,
            "signature_outputs": signature.outputs.to_dict() if signature else None,
        }
    # What the scoring server of `mlflow models serve` does with a request body.
    served = validate_serving_input(uri, json.dumps({"inputs": request["windows"]}))
    answer["served"] = [float(v) for v in np.asarray(served["forecast"]).reshape(-1)]

    if "unloadable_uri" in request:
        try:
            mlflow.pyfunc.load_model(request["unloadable_uri"])
            answer["unloadable_error"] = None
        except Exception as error:  # what MLflow says about a folder without MLmodel
            answer["unloadable_error"] = f"{type(error).__name__}: {error}"
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
