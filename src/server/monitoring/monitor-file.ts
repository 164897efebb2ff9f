// Keeps the forecast monitor's state (forecasts recorded for scoring, and the scored ones) in a
// file, so a restart or a deploy does not forget which forecasts were served (issue 18). The file
// (app.monitor_file, default <registry folder>/.monitor/forecasts.json) is written whole to a
// temporary file and renamed: a crash leaves the previous version, never half of one. It is
// saved every app.monitor_save_seconds while something changed, and once more when the server
// closes; predictions never wait for it.
import { readFile, rename } from "node:fs/promises";
import { z } from "zod";
import { writeJsonAtomic } from "../../util/atomic-file.js";
import type { ForecastMonitor, MonitorSnapshot } from "./forecast-monitor.js";
import { BackgroundTimer } from "../../util/background-timer.js";

const band = z.object({ level: z.number(), lower: z.number(), upper: z.number() });
const snapshotSchema = z.object({
  format_version: z.literal(1),
  recorded: z.record(z.string(), z.array(z.object({ date: z.string(), value: z.number(), version: z.number().nullable(), bands: z.array(band) }))),
  scored: z.record(
    z.string(),
    z.array(
      z.object({
        abs_error: z.number(),
        scale: z.number().optional(),
        validation_mase: z.number().optional(),
        inside: z.array(z.tuple([z.number(), z.boolean()])),
      }),
    ),
  ),
});

export interface MonitorFileLog {
  info(message: string): void;
  warn(message: string): void;
}

export class MonitorFile {
  private saved = -1;
  private readonly timer = new BackgroundTimer();
  private saving: Promise<void> = Promise.resolve();
  private lastProblem: string | undefined;

  constructor(
    readonly path: string,
    private readonly monitor: ForecastMonitor,
    private readonly log: MonitorFileLog,
  ) {}

  /**
   * Restores the monitor from the file. A missing file is a first start; one that cannot be read
   * as a snapshot is moved aside (<file>.unreadable, for a person to look at) and the monitor
   * starts empty, saying so: monitoring must not stop the server from starting.
   */
  async load(): Promise<"restored" | "absent" | "unreadable"> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "absent";
      this.log.warn(`forecast monitoring starts empty: ${this.path} cannot be read (${(error as Error).message}); check app.monitor_file`);
      return "unreadable";
    }
    let snapshot: MonitorSnapshot;
    try {
      snapshot = snapshotSchema.parse(JSON.parse(text)) as MonitorSnapshot;
    } catch (error) {
      const aside = `${this.path}.unreadable`;
      await rename(this.path, aside).catch(() => undefined);
      this.log.warn(
        `forecast monitoring starts empty: ${this.path} is not a saved monitor state (${(error as Error).message.split("\n")[0]}); it was moved to ${aside}`,
      );
      return "unreadable";
    }
    this.monitor.restore(snapshot);
    this.saved = this.monitor.changes;
    const forecasts = Object.values(snapshot.recorded).reduce((n, list) => n + list.length, 0);
    this.log.info(`forecast monitoring restored from ${this.path}: ${forecasts} recorded forecast date(s) awaiting actuals`);
    return "restored";
  }

  /** Saves every `intervalMs` while the monitor changed. The timer does not keep the process alive. */
  start(intervalMs: number): void {
    this.timer.start(() => this.save(), intervalMs);
  }

  stop(): void {
    this.timer.stop();
  }

  /** Writes the file if the monitor changed since the last save; saves run one at a time. A failure is logged once, not thrown. */
  save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      const changes = this.monitor.changes;
      if (changes === this.saved) return;
      try {
        await writeJsonAtomic(this.path, this.monitor.snapshot());
        this.saved = changes;
        this.lastProblem = undefined;
      } catch (error) {
        const problem = `forecast monitoring could not save ${this.path} (${(error as Error).message}); recorded forecasts are kept in memory only: check app.monitor_file`;
        if (problem !== this.lastProblem) this.log.warn(problem);
        this.lastProblem = problem;
      }
    });
    return this.saving;
  }
}
