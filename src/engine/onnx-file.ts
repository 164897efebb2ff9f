// `salescast export --format onnx`: checkpoint folder in, one self-contained .onnx file out.
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { loadCheckpoint } from "./checkpoint.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import { salescastVersion } from "../version.js";
import { exportOnnx, type OnnxExportOptions } from "./onnx.js";

/**
 * Loads the checkpoint in `checkpointDir` (all of loadCheckpoint's checks apply) and writes its
 * ONNX export, normalisation included, to `outPath` atomically (creating the folder).
 */
export async function exportOnnxFile(checkpointDir: string, outPath: string, options: OnnxExportOptions = {}): Promise<void> {
  const { model, meta } = await loadCheckpoint(checkpointDir);
  const bytes = exportOnnx(model, meta.normalization, { producerVersion: salescastVersion(), ...options });
  await mkdir(dirname(outPath), { recursive: true });
  await writeFileAtomic(outPath, bytes);
}
