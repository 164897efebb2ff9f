// Parameters and their gradients each live in ONE contiguous array, with a named view per
// tensor in a fixed order (PyTorch's named_parameters order). Zeroing the gradients is one
// fill, saving the model is one write, and the optimiser walks one flat array.

import type { FloatArray } from "./backend.js";

export interface ParameterEntry {
  name: string;
  shape: number[];
  /** First element of this tensor in `data` / `grad`. */
  offset: number;
  /** Number of elements (product of shape). */
  size: number;
}

export interface ParameterSpec {
  name: string;
  shape: number[];
}

export class ParameterSet<A extends FloatArray = Float32Array> {
  readonly data: A;
  readonly grad: A;
  readonly entries: ParameterEntry[];
  /** Total number of scalar parameters. */
  readonly size: number;
  private readonly byName = new Map<string, { entry: ParameterEntry; data: A; grad: A }>();

  /** alloc makes a zeroed array of the given length (float32 by default). */
  constructor(layout: ParameterSpec[], alloc: (length: number) => A = (n) => new Float32Array(n) as A) {
    const entries: ParameterEntry[] = [];
    let offset = 0;
    for (const { name, shape } of layout) {
      if (entries.some((e) => e.name === name)) throw new Error(`Parameter "${name}" appears twice in the layout.`);
      if (shape.some((d) => !Number.isInteger(d) || d <= 0)) {
        throw new Error(`Parameter "${name}" has shape [${shape.join(", ")}]; every dimension must be a positive integer.`);
      }
      const size = shape.reduce((p, d) => p * d, 1);
      entries.push({ name, shape: [...shape], offset, size });
      offset += size;
    }
    this.entries = entries;
    this.size = offset;
    this.data = alloc(offset);
    this.grad = alloc(offset);
    for (const entry of entries) {
      const end = entry.offset + entry.size;
      this.byName.set(entry.name, {
        entry,
        data: this.data.subarray(entry.offset, end) as A,
        grad: this.grad.subarray(entry.offset, end) as A,
      });
    }
  }

  /** The values of one tensor (a view: writes go to `data`). */
  view(name: string): A {
    return this.lookup(name).data;
  }

  /** The gradient of one tensor (a view into `grad`). */
  gradView(name: string): A {
    return this.lookup(name).grad;
  }

  entry(name: string): ParameterEntry {
    return this.lookup(name).entry;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  zeroGrad(): void {
    this.grad.fill(0);
  }

  private lookup(name: string): { entry: ParameterEntry; data: A; grad: A } {
    const found = this.byName.get(name);
    if (!found) {
      throw new Error(`No parameter named "${name}". Known parameters: ${this.entries.map((e) => e.name).join(", ")}.`);
    }
    return found;
  }
}
