// Parity with PyTorch 1.13 (float32): forward, loss, every gradient and five Adam steps,
// against the fixtures tools/torch_fixtures.py writes, on every backend under test (the native
// one runs its fused whole-network path and native Adam here). Prints the margin per tensor.

import { describe, expect, it } from "vitest";
import { Adam, CnnLstmModel, mseLoss, type Backend } from "../../src/engine/index.js";
import { backendsUnderTest } from "./backends-under-test.js";
import { compare, fixtureShape, formatTable, listFixtureFiles, loadFixture, tensor, type Comparison, type TorchFixture } from "./torch-fixtures.js";

const OUTPUT_TOL = 1e-5;
const GRAD_TOL = 1e-4;
const ADAM_LOSS_TOL = 1e-5;
const ADAM_WEIGHT_TOL = 1e-4;

function modelFrom(f: TorchFixture, backend: Backend): CnnLstmModel {
  const model = new CnnLstmModel(fixtureShape(f), 0, { backend });
  expect(model.backend.name).toBe(backend.name);
  for (const entry of model.params.entries) model.params.view(entry.name).set(tensor(f, `weights/${entry.name}`));
  return model;
}

function assertAll(rows: Comparison[]): void {
  const failed = rows.filter((r) => !r.ok).map((r) => `${r.name} (relative ${r.relative.toExponential(2)} > ${r.tolerance})`);
  expect(failed, "tensors outside tolerance").toEqual([]);
}

const files = listFixtureFiles();

describe("PyTorch parity fixtures", () => {
  it("are present (regenerate with /usr/bin/python3 tools/torch_fixtures.py)", () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });
});

const cases = backendsUnderTest().flatMap((backend) => files.map((file) => [file, backend.name, backend] as [string, string, Backend]));

describe.each(cases)("parity with PyTorch: %s on the %s backend", (file, _name, backend) => {
  const f = loadFixture(file);
  const B = f.config.batch;

  it("forward, loss and every gradient match", () => {
    const model = modelFrom(f, backend);
    const target = tensor(f, "target");
    const out = model.forward(tensor(f, "input"), B);
    const dOut = new Float32Array(out.length);
    const loss = mseLoss(out, target, dOut);
    model.params.zeroGrad();
    model.backward(dOut);

    const rows: Comparison[] = [
      compare("output", out, tensor(f, "output"), OUTPUT_TOL),
      compare("loss", [loss], tensor(f, "loss"), OUTPUT_TOL),
      ...model.params.entries.map((e) => compare(`grad ${e.name}`, model.params.gradView(e.name), tensor(f, `grads/${e.name}`), GRAD_TOL)),
      compare("grad input", model.inputGrad(), tensor(f, "grads/input"), GRAD_TOL),
    ];
    console.log(formatTable(`${f.config.name} (${backend.name}): forward/backward vs PyTorch`, rows));
    assertAll(rows);
  });

  it(`${f.optimizer.steps} Adam steps match`, () => {
    const model = modelFrom(f, backend);
    const o = f.optimizer;
    const adam = new Adam(model.params, {
      lr: o.lr,
      beta1: o.beta1,
      beta2: o.beta2,
      eps: o.eps,
      weightDecay: o.weight_decay,
      clipNorm: o.clip_norm ?? undefined,
      backend,
    });
    const x = tensor(f, "input");
    const target = tensor(f, "target");
    const dOut = new Float32Array(target.length);
    const losses: number[] = [];
    const norms: number[] = [];
    for (let step = 0; step < o.steps; step++) {
      model.params.zeroGrad();
      losses.push(mseLoss(model.forward(x, B), target, dOut));
      model.backward(dOut);
      adam.step();
      if (adam.lastGradNorm !== null) norms.push(adam.lastGradNorm);
    }
    if (o.clip_norm !== null) {
      // The fixture is only a clipping test if clipping actually happened.
      expect(Math.max(...norms)).toBeGreaterThan(o.clip_norm);
    }
    const rows: Comparison[] = [
      compare("adam losses", losses, tensor(f, "adam/losses"), ADAM_LOSS_TOL),
      ...model.params.entries.map((e) =>
        compare(`after ${o.steps} ${e.name}`, model.params.view(e.name), tensor(f, `adam/weights/${e.name}`), ADAM_WEIGHT_TOL),
      ),
    ];
    console.log(
      formatTable(
        `${f.config.name} (${backend.name}): Adam lr ${o.lr}${o.weight_decay ? ` wd ${o.weight_decay}` : ""}${o.clip_norm ? ` clip ${o.clip_norm}` : ""} vs PyTorch`,
        rows,
      ),
    );
    assertAll(rows);
  });
});
