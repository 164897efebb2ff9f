// The configuration tests and benchmarks build in code: the shipped defaults with only what they
// change, checked by the same schema as config.yaml.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/index.js";
import { configFromDefaults, dataSettingsFromDefaults } from "../../src/config/from-defaults.js";
import { configSchema } from "../../src/config/schema.js";

const projectConfig = new URL("../../config/config.yaml", import.meta.url).pathname;

describe("configFromDefaults", () => {
  it("is the schema's defaults, which are the shipped config.yaml's, when nothing is changed", async () => {
    expect(configFromDefaults()).toEqual(configSchema.parse({}));
    const { config } = await loadConfig({ path: projectConfig, env: {} });
    expect(configFromDefaults()).toEqual(config);
  });

  it("changes only the settings given, section by section", () => {
    const config = configFromDefaults({ data: { window_size: 7 }, model: { features: { month: true } }, train: { max_epochs: 3 } });
    const defaults = configSchema.parse({});
    expect(config.data).toEqual({ ...defaults.data, window_size: 7 });
    expect(config.model).toEqual({ ...defaults.model, features: { ...defaults.model.features, month: true } });
    expect(config.train).toEqual({ ...defaults.train, max_epochs: 3 });
    expect(config.app).toEqual(defaults.app);
  });

  it("puts the sales file, the registry and the run store in a folder, unless a setting places one elsewhere", () => {
    const config = configFromDefaults({}, { folder: "/work/t" });
    expect(config.data.csv_path).toBe(join("/work/t", "sales.csv"));
    expect(config.train.checkpoint_path).toBe(join("/work/t", "checkpoints", "model.ckpt"));
    expect(config.train.normalization_path).toBe(join("/work/t", "checkpoints", "normalization.json"));
    expect(config.tracking.uri).toBe(join("/work/t", "mlruns"));
    expect(configFromDefaults({ data: { csv_path: "/elsewhere.csv" } }, { folder: "/work/t" }).data.csv_path).toBe("/elsewhere.csv");
  });

  it("refuses what config.yaml would refuse, naming the setting", () => {
    expect(() => configFromDefaults({ data: { window_size: 2 } })).toThrow(ConfigError);
    expect(() => configFromDefaults({ data: { window_size: 2 } })).toThrow(/settings\.data\.window_size: must be at least 3/);
    expect(() => configFromDefaults({ train: { max_epoch: 3 } } as never)).toThrow(/settings\.train.*max_epoch/);
  });

  it("gives the data section alone for ingestion", () => {
    expect(dataSettingsFromDefaults({ layout: "wide" })).toEqual({ ...configSchema.parse({}).data, layout: "wide" });
  });
});
