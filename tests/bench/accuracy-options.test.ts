// The bench's command line: the two shared datasets by default, any other file described with
// salescast's own settings, and a clear message for each mistake.
import { describe, expect, it } from "vitest";
import { OptionsError, parseBenchOptions } from "../../bench/accuracy-options.js";

const root = "/project";

describe("parseBenchOptions", () => {
  it("runs pharma and walmart from ../shared/data with every anchor by default", () => {
    const o = parseBenchOptions([], root, {})!;
    expect(o.datasets.map((d) => d.name)).toEqual(["pharma", "walmart"]);
    expect(o.datasets[0].overrides).toEqual(["data.csv_path=/shared/data/pharma_sales_daily.csv", "data.layout=wide", "data.frequency=D"]);
    expect(o.datasets[1].overrides).toContain("data.category_column=Store");
    expect(o).toMatchObject({
      anchors: ["r", "statsforecast", "mlforecast"],
      salescast: true,
      salescastArgs: [],
      jobs: 2,
      outDir: "/project/bench/results",
      configPath: "/project/config/config.yaml",
    });
    expect(o.horizon).toBeUndefined(); // the frequency decides
    // One salescast backtest for the reference's network, one for the global GBDT, one for the tournament.
    expect(o.kinds).toEqual(["configured", "gbdt", "auto"]);
    expect(parseBenchOptions(["--kinds", "gbdt,gbdt"], root, {})!.kinds).toEqual(["gbdt"]);
  });

  it("takes the data folder from SALESCAST_SHARED_DATA or --data-dir, and --only", () => {
    expect(parseBenchOptions(["--only", "walmart"], root, { SALESCAST_SHARED_DATA: "/data" })!.datasets).toEqual([
      expect.objectContaining({ name: "walmart", overrides: expect.arrayContaining(["data.csv_path=/data/walmart_weekly.csv"]) }),
    ]);
    expect(parseBenchOptions(["--data-dir", "/elsewhere", "--only", "pharma"], root, { SALESCAST_SHARED_DATA: "/data" })!.datasets[0].overrides[0]).toBe(
      "data.csv_path=/elsewhere/pharma_sales_daily.csv",
    );
  });

  it("describes another file with key=value settings, and passes more options to the backtest", () => {
    const o = parseBenchOptions(
      [
        "--data",
        "/x/stores 2024.csv",
        "data.frequency=W",
        "data.category_column=Store",
        "--windows",
        "6",
        "--salescast-args=--auto  --seed 3",
        "--anchors",
        "r",
      ],
      root,
      {},
    )!;
    expect(o.datasets).toEqual([{ name: "stores_2024", overrides: ["data.csv_path=/x/stores 2024.csv", "data.frequency=W", "data.category_column=Store"] }]);
    expect(o).toMatchObject({ windows: 6, salescastArgs: ["--auto", "--seed", "3"], anchors: ["r"] });
    expect(parseBenchOptions(["--anchors", "none", "--data", "a.csv", "--name", "shop"], root, {})!).toMatchObject({
      anchors: [],
      datasets: [{ name: "shop" }],
    });
  });

  it("says what is wrong with a command line", () => {
    const cases: [string[], RegExp][] = [
      [["--only", "m5"], /--only: unknown dataset m5; the built-in ones are pharma, walmart/],
      [["--anchors", "prophet"], /--anchors: unknown tool "prophet"; known: r, statsforecast, mlforecast, or none/],
      [["--windows", "0"], /--windows must be a whole number of at least 1, got "0"/],
      [["--jobs", "two"], /--jobs must be a whole number/],
      [["--data", "a.csv", "--only", "pharma"], /--only picks built-in datasets; it cannot be used with --data/],
      [["--name", "x"], /--name names the file of --data/],
      [["--data", "a.csv", "--name", "../up"], /--name "..\/up": use letters, digits/],
      [["--salescast-rows", "rows.csv"], /--salescast-rows scores one backtest --out file: run one dataset/],
      [["--no-salescast", "--anchors", "none"], /nothing to run/],
      [["--kinds", ","], /--kinds needs at least one kind/],
      [["--kinds", "gbdt,../x"], /--kinds: "..\/x" is not a model kind name/],
      [["pharma"], /"pharma" is not an option or a key=value setting/],
      [["--bogus"], /Unknown option '--bogus'/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseBenchOptions(argv, root, {}), argv.join(" ")).toThrow(OptionsError);
      expect(() => parseBenchOptions(argv, root, {}), argv.join(" ")).toThrow(message);
    }
  });

  it("answers --help with nothing to run", () => {
    expect(parseBenchOptions(["--help"], root, {})).toBeUndefined();
  });
});
