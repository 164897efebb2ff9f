// The category of a command that takes --category: the one given, else data.item_id resolved
// against the categories the command can see (defaultCategory: a file of one series uses it).
import type { Config } from "../config/index.js";
import { defaultCategory } from "../data/default-category.js";
import { loadConfiguredData, type TrainingData } from "../data/model-data.js";
import type { Output } from "./output.js";

/**
 * `given` (--category) in Unicode NFC, or the default for `config`. `known` lists the categories
 * to resolve data.item_id against (the data's, or the registry's for commands that only read
 * models); it is only called when no --category was given.
 */
export async function chosenCategory(config: Config, out: Output, given: unknown, known: () => Promise<readonly string[]>): Promise<string> {
  if (given !== undefined) return String(given).normalize("NFC");
  const { category, note } = defaultCategory(config.data.item_id, await known());
  if (note) out.log(note);
  return category;
}

/**
 * The configured data for one command, read at most once: for resolving data.item_id
 * (`categories`) and then for the work itself (`loaded`, undefined when it was never needed, so
 * the work reads it itself).
 */
export class CommandData {
  private data: TrainingData | undefined;

  constructor(private readonly config: Config) {}

  async get(): Promise<TrainingData> {
    return (this.data ??= await loadConfiguredData(this.config));
  }

  get loaded(): TrainingData | undefined {
    return this.data;
  }

  readonly categories = async (): Promise<string[]> => (await this.get()).series.map((s) => s.category);
}
