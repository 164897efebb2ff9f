// ReusedThreads keeps a thread for job after job, starts one only when none is idle, and drops
// a thread that died (during a job or while idle) so that the next job gets a fresh one.
import { threadId as mainThreadId, type Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { ReusedThreads } from "../../src/util/reused-threads.js";
import { exchangeWithWorker } from "../../src/util/worker-pool.js";

// Answers each job with its threadId and how many jobs it took; "exit" exits during the job,
// "exit-after" answers and then exits while idle.
const THREAD = new URL(
  "data:text/javascript," +
    encodeURIComponent(`
import { parentPort, threadId } from "node:worker_threads";
let jobs = 0;
parentPort.on("message", (job) => {
  jobs += 1;
  if (job === "exit") process.exit(3);
  parentPort.postMessage({ threadId, jobs });
  if (job === "exit-after") setTimeout(() => process.exit(4), 0);
});
`),
);

interface Answer {
  threadId: number;
  jobs: number;
}

let threads: ReusedThreads;
afterEach(async () => {
  await threads.close();
});

/** The thread's answer to `message`; throws the error a thread that died ends the job with. */
async function job(message: string): Promise<Answer> {
  const value = await threads.use((thread: Worker) => exchangeWithWorker<Answer, Answer>(thread, message, "test", (answer, settle) => settle(answer)));
  if (value instanceof Error) throw value;
  return value;
}

describe("ReusedThreads", () => {
  it("runs job after job on one thread, started for the first", async () => {
    threads = new ReusedThreads(THREAD);
    expect(threads.size).toBe(0);
    const answers = [await job("a"), await job("b"), await job("c")];
    expect(answers.map((answer) => answer.jobs)).toEqual([1, 2, 3]);
    expect(new Set(answers.map((answer) => answer.threadId)).size).toBe(1);
    expect(answers[0].threadId).not.toBe(mainThreadId);
    expect(threads.size).toBe(1);
  });

  it("starts a thread per job running at once, and keeps each", async () => {
    threads = new ReusedThreads(THREAD);
    const together = await Promise.all([job("a"), job("b")]);
    expect(together.map((answer) => answer.jobs)).toEqual([1, 1]);
    expect(together[0].threadId).not.toBe(together[1].threadId);
    const after = await Promise.all([job("c"), job("d")]);
    expect(after.map((answer) => answer.jobs)).toEqual([2, 2]);
    expect(new Set(after.map((answer) => answer.threadId))).toEqual(new Set(together.map((answer) => answer.threadId)));
    expect(threads.size).toBe(2);
  });

  it("fails the job whose thread exits during it, and gives the next job a fresh thread", async () => {
    threads = new ReusedThreads(THREAD);
    const first = await job("a");
    await expect(job("exit")).rejects.toThrow("the test thread stopped unexpectedly (exit code 3)");
    expect(threads.size).toBe(0);
    const next = await job("b");
    expect(next.jobs).toBe(1);
    expect(next.threadId).not.toBe(first.threadId);
  });

  it("drops a thread that dies while idle instead of posting the next job to it", async () => {
    threads = new ReusedThreads(THREAD);
    const first = await job("exit-after");
    // Its exit is seen once the main thread hears it; the pool must then hold no thread.
    await expect.poll(() => threads.size).toBe(0);
    const next = await job("b");
    expect(next.jobs).toBe(1);
    expect(next.threadId).not.toBe(first.threadId);
  });

  it("ends every thread on close and refuses jobs afterwards, saying why", async () => {
    threads = new ReusedThreads(THREAD);
    let exited = 0;
    await threads.use(async (thread) => {
      thread.once("exit", () => (exited += 1));
      return exchangeWithWorker<Answer, Answer>(thread, "a", "test", (answer, settle) => settle(answer));
    });
    await threads.close();
    expect(exited).toBe(1);
    expect(threads.size).toBe(0);
    await expect(job("b")).rejects.toThrow(/the worker's job threads are closed/);
  });
});
