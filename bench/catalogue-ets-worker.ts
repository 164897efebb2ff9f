// A bottom-up ETS thread of bench:catalogue (catalogue-ets.ts): fits the share of series it is
// sent, reports its progress every few series and sends back its forecasts (transferred).
// Loaded only from the compiled dist/.
import { parentPort } from "node:worker_threads";
import { fitBottomSeries, REPORT_EVERY, type EtsFromWorker, type EtsToWorker } from "./catalogue-ets.js";

if (!parentPort) throw new Error("bench/catalogue-ets-worker.ts is a worker_threads entry point; bench/catalogue-ets.ts starts it");
const port = parentPort;
const send = (message: EtsFromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on("message", (message: EtsToWorker) => {
  const { config, matrix, names, chosen, end, horizon } = message;
  fitBottomSeries(config, matrix, names, chosen, end, horizon, (done) => {
    if (done % REPORT_EVERY === 0) send({ type: "progress", done });
  }).then(
    (forecasts) => {
      send({ type: "progress", done: chosen.length });
      send({ type: "result", forecasts }, [forecasts.buffer as ArrayBuffer]);
    },
    (error: unknown) => send({ type: "error", message: error instanceof Error ? error.message : String(error) }),
  );
});
