// The families list is the one place that names model kinds; the config's model.architecture
// accepts them through a generated copy (the config room cannot import the models room).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { BACKTEST_BASELINES, BENCHMARK, configuredFamily, EVALUATION_BASELINES, FAMILIES, familyOf } from "../../src/models/families.js";
import { modelKindsSource } from "../../src/models/model-kinds-source.js";

describe("the families list", () => {
  it("names each kind once, in snake_case", () => {
    const kinds = FAMILIES.map((family) => family.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const kind of kinds) expect(kind).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(kinds).toEqual(expect.arrayContaining(["cnn_lstm", "naive", "seasonal_naive", "moving_average", "holt_winters", "ets"]));
    expect(kinds).toEqual(expect.arrayContaining(["theta", "arima", "croston", "sba", "tsb", "intermittent", "mstl", "ensemble"]));
    for (const family of [...EVALUATION_BASELINES, ...BACKTEST_BASELINES, BENCHMARK]) expect(FAMILIES).toContain(family);
  });

  it("is what src/config/model-kinds.ts says (else: npm run gen:model-kinds)", () => {
    const committed = readFileSync(new URL("../../src/config/model-kinds.ts", import.meta.url), "utf8");
    expect(committed, "src/config/model-kinds.ts is stale: run npm run gen:model-kinds").toBe(modelKindsSource(FAMILIES.map((family) => family.kind)));
  });

  it("gives model.architecture every kind and CNNLSTM, the reference's name for the network", () => {
    const parse = (architecture: string) => configSchema.parse({ model: { architecture } });
    expect(configuredFamily(parse("CNNLSTM")).kind).toBe("cnn_lstm");
    // auto (the tournament, no family of its own) is the default; CNNLSTM is still accepted.
    expect(configSchema.parse({}).model.architecture).toBe("auto");
    expect(() => configuredFamily(parse("auto"))).toThrow(/model.architecture is "auto"/);
    for (const family of FAMILIES) expect(configuredFamily(parse(family.kind))).toBe(family);
    const refused = configSchema.safeParse({ model: { architecture: "prophet" } });
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues)).toMatch(/holt_winters/);
  });

  it("refuses a kind it does not know, naming the known ones", () => {
    expect(() => familyOf("prophet", "model.json's model kind")).toThrow(
      /model\.json's model kind is "prophet", not a model kind this salescast knows \(cnn_lstm, naive, .*holt_winters/,
    );
  });
});
