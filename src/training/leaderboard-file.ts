// Reads a version's leaderboard.json (written by training with model.architecture auto).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LEADERBOARD_FILE, parseLeaderboard, type Leaderboard } from "../backtest/leaderboard.js";

/** The version folder's leaderboard, or undefined when it has none (trained without auto) or it is not one. */
export async function readLeaderboard(dir: string): Promise<Leaderboard | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, LEADERBOARD_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return parseLeaderboard(JSON.parse(text));
  } catch {
    return undefined;
  }
}
