// How much work one prediction request may ask for, and how a large batch is computed without
// holding the thread that answers every other request (issue 14, #2: 10,000 windows × 365
// steps once kept the server busy for 31 s, GET /api/health unanswered meanwhile).
//
// - A request asking for more than app.max_forecast_values values (windows × horizon) is
//   refused with 413 before any work, naming the limit and how to split the request.
// - Below it, a batch is forecast in slices of about app.forecast_chunk_values values, with a
//   turn of the event loop (setImmediate) between slices, so other requests are answered while
//   it runs. A slice is one batched engine call per step, so slicing costs little: about
//   20 ms of work per 4,096 values on the reference machine. Slicing rather than a worker
//   thread: the model is already loaded on this thread, and a worker would copy every window
//   and forecast across threads.
// - A client that hangs up stops the work at the next slice.
import type { SalesForecaster } from "../forecaster/sales-forecaster.js";
import { HttpError } from "./errors.js";
import type { ForecastLimits } from "./options.js";

/** 413 unless `windows` × `horizon` values fit in one request. */
export function checkForecastSize(windows: number, horizon: number, limits: ForecastLimits): void {
  const values = windows * horizon;
  if (values <= limits.maxValues) return;
  const fit = Math.floor(limits.maxValues / horizon);
  const count = (n: number) => n.toLocaleString("en-US");
  throw new HttpError(
    413,
    "forecast_too_large",
    `the request asks for ${count(values)} forecast values (${count(windows)} windows × horizon ${horizon}), more than the ` +
      `${count(limits.maxValues)} one request may ask for (app.max_forecast_values); send at most ${count(fit)} windows ` +
      `per request at this horizon, or a shorter horizon`,
  );
}

/**
 * forecaster.forecastBatch over `windows`, slice by slice, yielding to the event loop between
 * slices. `abandoned()` is asked between slices: true stops the work (the client has gone).
 */
export async function forecastInSlices(
  forecaster: SalesForecaster,
  windows: readonly number[][],
  horizon: number,
  lastDate: string | undefined,
  limits: ForecastLimits,
  abandoned: () => boolean,
): Promise<number[][]> {
  const perSlice = Math.max(1, Math.floor(limits.chunkValues / horizon));
  if (windows.length <= perSlice) return forecaster.forecastBatch(windows, horizon, lastDate);
  const out: number[][] = [];
  for (let first = 0; first < windows.length; first += perSlice) {
    if (first > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (abandoned()) throw new HttpError(499, "client_closed_request", "the client closed the connection before the forecast was complete");
    }
    const slice = forecaster.forecastBatch(windows.slice(first, first + perSlice), horizon, lastDate, first);
    for (const steps of slice) out.push(steps);
  }
  return out;
}
