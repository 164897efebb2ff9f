// A large CSV written a chunk at a time: a full catalogue's history for an anchor is tens of
// millions of lines, more than one string (or an array of them) may hold in Node's heap.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { finished } from "node:stream/promises";

/** Writes `header`, then `chunk(0)` … `chunk(count - 1)` (each ends its own lines with "\n") to `path`, waiting whenever the file falls behind. */
export async function writeChunkedCsv(path: string, header: string, count: number, chunk: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  try {
    out.write(`${header}\n`);
    for (let i = 0; i < count; i++) if (!out.write(chunk(i))) await once(out, "drain");
    out.end();
    await finished(out);
  } catch (error) {
    out.destroy();
    throw error;
  }
}
