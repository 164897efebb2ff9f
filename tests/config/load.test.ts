import { mkdtemp, writeFile, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, ConfigError } from "../../src/config/index.js";

const projectConfig = new URL("../../config/config.yaml", import.meta.url);
let dir: string;
let path: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-config-"));
  path = join(dir, "config.yaml");
  // The shipped config plus a profile that touches the same key as the other layers.
  const text = await readFile(projectConfig, "utf8");
  await writeFile(path, text.replace("profiles:\n", "profiles:\n  wide:\n    data:\n      window_size: 21\n      layout: wide\n"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const load = (overrides: string[] = [], env: NodeJS.ProcessEnv = {}) => loadConfig({ path, overrides, env });

describe("the shipped config", () => {
  it("has the reference's sections, keys and defaults", async () => {
    const { config } = await loadConfig({ path: projectConfig.pathname, env: {} });
    expect(config.data).toMatchObject({
      csv_path: "data/raw/sales_data.csv",
      available_categories: [],
      item_id: "Beauty",
      window_size: 14,
      batch_size: 32,
      date_column: "Date",
      category_column: "Product Category",
      value_column: "Total Amount",
      layout: "long",
      frequency: "D",
      fill: "zero",
    });
    expect(config.model).toMatchObject({
      architecture: "auto",
      input_size: 1,
      conv_channels: 32,
      lstm_hidden: 64,
      lstm_layers: 1,
      lr: 0.001,
      interval_levels: [80, 95],
      interval_horizon: 14,
      horizon: 1,
      features: { day_of_week: false, month: false, holidays: [], covariates: [] },
      auto: { candidates: [], selection_windows: 4, evaluation_windows: 2, step: 0, horizon: 7 },
      gbdt: {
        strategy: "recursive",
        loss: "l1",
        horizon: 14,
        lags: [],
        yearly_lag: true,
        learning_rate: 0.05,
        num_leaves: 31,
        min_data_in_leaf: 20,
        max_rounds: 1000,
        early_stopping_rounds: 50,
        threads: 0,
      },
    });
    // The global network's settings, as shipped (src/config/global-network-settings.ts).
    expect(config.model.global_network).toEqual({
      window_size: 28,
      horizon: 7,
      loss: "l1",
      quantile: 0.5,
      series_identity: "one_hot",
      max_identity_series: 100,
      yearly_harmonics: 2,
      conv_channels: 32,
      lstm_hidden: 64,
      lstm_layers: 1,
      lr: 0.001,
      batch_size: 64,
      max_epochs: 20,
      patience: 4,
      holdout_horizons: 2,
      max_windows: 20000,
    });
    // The statistical kinds' settings, as shipped (src/config/statistical-schema.ts).
    expect(config.model).toMatchObject({
      theta: { model: "auto" },
      arima: { seasonal: true },
      intermittent: { alpha: 0.1, sporadic_method: "sba", smooth_method: "ets" },
      mstl: { daily_periods: [7, 365.25], weekly_periods: [52.18], trend: "ets" },
      ensemble: { members: ["ets", "theta", "arima"], combination: "mean", weight_windows: 2, weight_horizon: 7 },
    });
    expect(config.train).toMatchObject({
      max_epochs: 10,
      gpus: 0,
      seed: 42,
      experiment_name: "sales-forecast",
      checkpoint_path: "checkpoints/model.ckpt",
      normalization_path: "checkpoints/normalization.json",
      mlflow_tracking_uri: "http://127.0.0.1:5005",
    });
    expect(config.app).toMatchObject({ api_url: "http://localhost:8000/api", host: "127.0.0.1", port: 8000, currency: null });
    expect(config.tracking.uri).toBe("./mlruns");
    expect(config.engine).toEqual({ backend: "auto" });
  });
});

describe("engine.backend and the settings it replaces", () => {
  const tempFile = async (name: string, text: string) => {
    const file = join(dir, name);
    await writeFile(file, text);
    return file;
  };

  it("takes auto, native or reference from any layer, and refuses anything else with the choices", async () => {
    expect((await load()).config.engine.backend).toBe("auto");
    expect((await load(["engine.backend=reference"])).config.engine.backend).toBe("reference");
    expect((await load([], { SALESCAST__ENGINE__BACKEND: "native" })).config.engine.backend).toBe("native");
    expect((await load()).warnings).toEqual([]);
    const error = await load(["engine.backend=cuda"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/engine\.backend: .*"auto".*"native".*"reference".*found "cuda"/);
  });

  it('reads "fast", the old name of native, in any layer, with a deprecation message', async () => {
    const fromCli = await load(["engine.backend=fast"]);
    expect(fromCli.config.engine.backend).toBe("native");
    expect(fromCli.warnings).toEqual([
      'the command line: engine.backend: "fast" is the old name of the native backend; write "native" (the meaning is the same)',
    ]);
    const file = await tempFile("fast.yaml", "engine:\n  backend: fast\n");
    const fromFile = await loadConfig({ path: file, env: {} });
    expect(fromFile.config.engine.backend).toBe("native");
    expect(fromFile.warnings).toEqual([`${file}: engine.backend: "fast" is the old name of the native backend; write "native" (the meaning is the same)`]);
  });

  it("reads the deprecated SALESCAST_BACKEND as engine.backend unless SALESCAST__ENGINE__BACKEND is set", async () => {
    const legacy = await load([], { SALESCAST_BACKEND: "fast" });
    expect(legacy.config.engine.backend).toBe("native");
    expect(legacy.warnings[0]).toMatch(/^SALESCAST_BACKEND is deprecated: use SALESCAST__ENGINE__BACKEND/);
    expect(legacy.warnings[1]).toMatch(/^the environment: engine\.backend: "fast" is the old name/);
    const both = await load([], { SALESCAST_BACKEND: "reference", SALESCAST__ENGINE__BACKEND: "native" });
    expect(both.config.engine.backend).toBe("native");
    expect(both.warnings).toEqual([expect.stringMatching(/^SALESCAST_BACKEND is deprecated/)]);
    // The command line still overrides the environment.
    expect((await load(["engine.backend=auto"], { SALESCAST_BACKEND: "reference" })).config.engine.backend).toBe("auto");
  });

  it("reads app.inference as engine.backend in its own layer (fast = auto, reference = reference), saying so", async () => {
    const file = await tempFile("inference.yaml", "app:\n  inference: reference\n");
    const fromFile = await loadConfig({ path: file, env: {} });
    expect(fromFile.config.engine.backend).toBe("reference");
    expect("inference" in fromFile.config.app).toBe(false);
    expect(fromFile.warnings).toEqual([
      `${file}: app.inference is replaced by engine.backend; read app.inference: reference as engine.backend: reference (write that instead)`,
    ]);
    // The shipped file sets engine.backend: auto; app.inference on the command line still wins over it, as its layer does.
    const fromCli = await load(["app.inference=reference"]);
    expect(fromCli.config.engine.backend).toBe("reference");
    expect((await load(["app.inference=fast"], { SALESCAST__ENGINE__BACKEND: "reference" })).config.engine.backend).toBe("auto");
    // Both in one layer: engine.backend wins and app.inference is reported as ignored.
    const both = await load(["app.inference=reference", "engine.backend=native"]);
    expect(both.config.engine.backend).toBe("native");
    expect(both.warnings).toEqual([
      "the command line: app.inference is replaced by engine.backend, which this layer also sets; app.inference is ignored, remove it",
    ]);
    const odd = await load(["app.inference=wasm"]);
    expect(odd.config.engine.backend).toBe("auto");
    expect(odd.warnings).toEqual([
      'the command line: app.inference is no longer read (it was "wasm"); set engine.backend to auto, native or reference instead',
    ]);
  });
});

describe("merge order: file < profile < environment < CLI", () => {
  it("takes the file's value with no other layer", async () => {
    expect((await load()).config.data.window_size).toBe(14);
  });
  it("a profile overrides the file", async () => {
    const { config, profile } = await load([], { SALESCAST_PROFILE: "wide" });
    expect(profile).toBe("wide");
    expect(config.data.window_size).toBe(21);
    expect(config.data.layout).toBe("wide");
  });
  it("MLFLOW_ENV picks a profile like the reference", async () => {
    const { config } = await load([], { MLFLOW_ENV: "docker" });
    expect(config.tracking.uri).toBe("http://mlflow:5005");
    expect(config.app.host).toBe("0.0.0.0");
  });
  it("the environment overrides the profile", async () => {
    const { config } = await load([], { SALESCAST_PROFILE: "wide", SALESCAST__DATA__WINDOW_SIZE: "28" });
    expect(config.data.window_size).toBe(28);
    expect(config.data.layout).toBe("wide");
  });
  it("MLFLOW_TRACKING_URI overrides tracking.uri, even over a profile", async () => {
    const { config } = await load([], { MLFLOW_ENV: "docker", MLFLOW_TRACKING_URI: "http://127.0.0.1:5999" });
    expect(config.tracking.uri).toBe("http://127.0.0.1:5999");
  });
  it("CLI overrides win over everything", async () => {
    const { config } = await load(["data.window_size=7", "data.available_categories=[A, B]", "data.category_column=Store"], {
      SALESCAST_PROFILE: "wide",
      SALESCAST__DATA__WINDOW_SIZE: "28",
    });
    expect(config.data.window_size).toBe(7);
    expect(config.data.available_categories).toEqual(["A", "B"]);
    expect(config.data.category_column).toBe("Store");
  });
  it("interpolates ${env:NAME,default}", async () => {
    expect((await load()).config.train.mlflow_tracking_uri).toBe("http://127.0.0.1:5005");
    const { config } = await load([], { MLFLOW_TRACKING_URI: "http://10.0.0.1:1" });
    expect(config.train.mlflow_tracking_uri).toBe("http://10.0.0.1:1");
    const custom = await load(["data.csv_path=${env:SALES_FILE,fallback.csv}"], { SALES_FILE: "mine.csv" });
    expect(custom.config.data.csv_path).toBe("mine.csv");
    expect((await load(["data.csv_path=${env:SALES_FILE,fallback.csv}"])).config.data.csv_path).toBe("fallback.csv");
  });
});

describe("schema errors name the key and the expected form", () => {
  const refused = async (overrides: string[], env: NodeJS.ProcessEnv = {}) => {
    const error = await load(overrides, env).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  };

  it("refuses an unknown key and lists the known ones", async () => {
    const message = await refused(["data.windw_size=3"]);
    expect(message).toContain("data.windw_size: unknown key");
    expect(message).toContain("window_size");
  });
  it("refuses an unknown section", async () => {
    expect(await refused(["serving.port=1"])).toContain("serving: unknown key");
  });
  it("refuses a wrong type with the value found", async () => {
    const message = await refused(["data.window_size=abc"]);
    expect(message).toContain("data.window_size");
    expect(message).toContain('"abc"');
  });
  it("refuses a negative window", async () => {
    const message = await refused(["data.window_size=-5"]);
    expect(message).toMatch(/data\.window_size: .*at least 3/);
  });
  it("refuses a layout outside the enum, naming the choices", async () => {
    const message = await refused(["data.layout=diagonal"]);
    expect(message).toContain("data.layout");
    expect(message).toMatch(/long.*wide/);
  });
  it("refuses gpus > 0 with the fix", async () => {
    expect(await refused(["train.gpus=1"])).toContain("set train.gpus=0");
  });
  it("refuses a malformed override", async () => {
    expect(await refused(["window_size"])).toContain("write key.path=value");
    expect(await refused(["data..x=1"])).toContain("write key.path=value");
  });
  it("takes an ISO 4217 currency for the dashboard's amounts and refuses anything else", async () => {
    expect((await load(["app.currency=EUR"])).config.app.currency).toBe("EUR");
    expect((await load([], { SALESCAST__APP__CURRENCY: "JPY" })).config.app.currency).toBe("JPY");
    expect((await load(["app.currency=null"])).config.app.currency).toBeNull();
    expect(await refused(["app.currency=usd"])).toMatch(/app\.currency: must be an ISO 4217 currency code in capitals, e\.g\. USD.*; found "usd"/);
    expect(await refused(["app.currency=DOLLARS"])).toContain("app.currency: must be an ISO 4217");
    expect(await refused(["app.currency=QQQ"])).toMatch(/app\.currency: is not a currency code this runtime knows.*; found "QQQ"/);
  });
  it("refuses a malformed environment variable", async () => {
    expect(await refused([], { SALESCAST__DATA____X: "1" })).toContain("SALESCAST__SECTION__KEY");
  });
  it("refuses an unknown profile, naming the known ones", async () => {
    const message = await refused([], { SALESCAST_PROFILE: "staging" });
    expect(message).toContain('unknown profile "staging"');
    expect(message).toContain("local, docker");
  });
  it("refuses an unset variable with no default", async () => {
    expect(await refused(["data.csv_path=${env:NOT_SET_ANYWHERE}"])).toContain("NOT_SET_ANYWHERE is not set");
  });
  it("reports a missing file and invalid YAML clearly", async () => {
    await expect(loadConfig({ path: join(dir, "absent.yaml"), env: {} })).rejects.toThrow(/config file not found: .*absent\.yaml.*--config/);
    const broken = join(dir, "broken.yaml");
    await writeFile(broken, "data: [unclosed\n");
    await expect(loadConfig({ path: broken, env: {} })).rejects.toThrow(/not valid YAML/);
  });
});

describe("values a user gives in the short form (issue 15)", () => {
  it("a list key takes a single value as a list of one, on the command line and in the environment", async () => {
    const { config } = await load(
      ["data.series_columns=Sales", "data.available_categories=Beauty", "model.interval_levels=90", "model.features.holidays=2024-12-25"],
      {
        SALESCAST__MODEL__FEATURES__COVARIATES: "Promo",
      },
    );
    expect(config.data.series_columns).toEqual(["Sales"]);
    expect(config.data.available_categories).toEqual(["Beauty"]);
    expect(config.model.interval_levels).toEqual([90]);
    expect(config.model.features.holidays).toEqual(["2024-12-25"]);
    expect(config.model.features.covariates).toEqual(["Promo"]);
  });
  it("an empty value or null is the empty list; a real list is unchanged", async () => {
    expect((await load(["data.series_columns="])).config.data.series_columns).toEqual([]);
    expect((await load(["data.series_columns=null"])).config.data.series_columns).toEqual([]);
    expect((await load(["data.series_columns=[A, B]"])).config.data.series_columns).toEqual(["A", "B"]);
  });
  it("a single value is still checked like a list item", async () => {
    const error = await load(["model.interval_levels=120"]).catch((caught: unknown) => caught);
    expect(String(error)).toMatch(/model\.interval_levels\.0: .*percentages below 100/);
  });
  it("data.category_column empty or null means a file without a category column", async () => {
    expect((await load(["data.category_column="])).config.data.category_column).toBeNull();
    expect((await load(["data.category_column=null"])).config.data.category_column).toBeNull();
    expect((await load()).config.data.category_column).toBe("Product Category");
  });
});

describe("a number or boolean where text is expected says how to quote it (issue 14, item 12)", () => {
  const message = (overrides: string[], env: NodeJS.ProcessEnv = {}) =>
    load(overrides, env).then(
      () => "",
      (caught: unknown) => (caught as Error).message,
    );

  it("app.host=127.1: the command line form, as typed", async () => {
    const text = await message(["app.host=127.10"]);
    expect(text).toContain("app.host: Invalid input: expected string, received number; found 127.1");
    expect(text).toContain(`to pass it as text, quote it: app.host='"127.10"' on the command line`);
    expect(text).toContain(`SALESCAST__APP__HOST='"127.10"' in the environment, host: "127.10" in YAML`);
  });
  it("a boolean from the environment", async () => {
    const text = await message([], { SALESCAST__TRAIN__EXPERIMENT_NAME: "true" });
    expect(text).toContain("train.experiment_name");
    expect(text).toContain(`read as a boolean: to pass it as text, quote it: train.experiment_name='"true"'`);
  });
  it("the quoted form is then accepted as text", async () => {
    expect((await load([`app.host="127.1"`])).config.app.host).toBe("127.1");
  });
  it("a value of the wrong kind that is not a number gets no quoting hint", async () => {
    expect(await message(["data.window_size=abc"])).not.toContain("quote it");
  });
});
