// data.series_key, data.hierarchy and data.duplicates as a user writes them: in config.yaml's
// defaults, on the command line, and wrong.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";

const path = new URL("../../config/config.yaml", import.meta.url).pathname;
const load = (overrides: string[]) => loadConfig({ path, overrides, env: {} });

describe("catalogue settings", () => {
  it("ship off: one key column, no hierarchy, duplicates auto", async () => {
    const { config } = await load([]);
    expect(config.data.series_key).toEqual([]);
    expect(config.data.hierarchy).toEqual([]);
    expect(config.data.duplicates).toBe("auto");
  });

  it("take lists of columns and lists of levels on the command line, [] being the total", async () => {
    const { config } = await load(["data.series_key=[store_id, item_id]", "data.hierarchy=[[], [state_id], [store_id, dept_id]]", "data.duplicates=sum"]);
    expect(config.data.series_key).toEqual(["store_id", "item_id"]);
    expect(config.data.hierarchy).toEqual([[], ["state_id"], ["store_id", "dept_id"]]);
    expect(config.data.duplicates).toBe("sum");
    // A single column is a list of one, like every list key; a level given as a bare name is a level of one column.
    expect((await load(["data.series_key=sku"])).config.data.series_key).toEqual(["sku"]);
    expect((await load(["data.hierarchy=[[], state_id]"])).config.data.hierarchy).toEqual([[], ["state_id"]]);
  });

  it("refuse an unknown duplicates mode and an empty column name with the key's path", async () => {
    await expect(load(["data.duplicates=merge"])).rejects.toThrow(/data\.duplicates/);
    await expect(load(['data.hierarchy=[[""]]'])).rejects.toThrow(/data\.hierarchy/);
  });
});
