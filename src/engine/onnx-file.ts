// `salescast export --format onnx`: checkpoint folder in, one self-contained .onnx file out.
import { loadCheckpoint } from "./checkpoint.js";
import { writeOutputFile } from "../util/output-file.js";
import { salescastVersion } from "../version.js";
import { exportOnnx, type OnnxExportOptions } from "./onnx.js";

/**
 * Loads the checkpoint in `checkpointDir` (all of loadCheckpoint's checks apply) and writes its
 * ONNX export, normalisation included, to `outPath` atomically (creating the folder), or to
 * standard output for "-"; a target that is not a regular file is refused (output-file.ts).
 */
export async function exportOnnxFile(checkpointDir: string, outPath: string, options: OnnxExportOptions = {}): Promise<void> {
  const { model, meta } = await loadCheckpoint(checkpointDir);
  const bytes = exportOnnx(model, meta.normalization, { producerVersion: salescastVersion(), ...options });
  await writeOutputFile(outPath, bytes, { binary: true });
}
