// runs/log-batch payloads that respect MLflow's limits per call (1000 metrics, 100 params,
// 100 tags, 1000 items in all; the JSON body under 1 MB), and the encoding of metric values
// JSON cannot carry (NaN, ±Infinity travel as the strings protobuf's JSON mapping uses).
import type { MetricPoint } from "../store.js";

export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_PER_BATCH = 100;
export const MAX_TAGS_PER_BATCH = 100;
export const MAX_ITEMS_PER_BATCH = 1000;
/** MLflow refuses bodies over 1 MB; keep a margin for the envelope. */
export const MAX_BATCH_BYTES = 900_000;

export interface KeyValue {
  key: string;
  value: string;
}

export interface WireMetric {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

export interface LogBatchBody {
  run_id: string;
  metrics: WireMetric[];
  params: KeyValue[];
  tags: KeyValue[];
}

export function encodeMetricValue(value: number): number | string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  return value;
}

/** The server answers NaN as "NaN" and stores ±Infinity as ±Number.MAX_VALUE (its SQL column cannot hold infinities). */
export function decodeMetricValue(value: number | string | undefined): number {
  if (typeof value === "number") return value;
  if (value === "NaN") return NaN;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  return Number(value);
}

export function toKeyValues(entries: Record<string, string>): KeyValue[] {
  return Object.entries(entries).map(([key, value]) => ({ key, value }));
}

/** Splits metrics, params and tags into as few log-batch bodies as the limits allow, order kept within each kind. */
export function logBatchBodies(runId: string, input: { metrics?: MetricPoint[]; params?: KeyValue[]; tags?: KeyValue[] }): LogBatchBody[] {
  const metrics = (input.metrics ?? []).map((p) => ({ key: p.key, value: encodeMetricValue(p.value), timestamp: Math.round(p.timestamp), step: p.step }));
  const params = [...(input.params ?? [])];
  const tags = [...(input.tags ?? [])];
  const bodies: LogBatchBody[] = [];
  let current = emptyBody(runId);
  let bytes = bodyBytes(current);
  const flush = () => {
    if (current.metrics.length + current.params.length + current.tags.length > 0) bodies.push(current);
    current = emptyBody(runId);
    bytes = bodyBytes(current);
  };
  const add = <K extends "metrics" | "params" | "tags">(kind: K, item: LogBatchBody[K][number], limit: number) => {
    const size = Buffer.byteLength(JSON.stringify(item), "utf8") + 1;
    const count = current.metrics.length + current.params.length + current.tags.length;
    if (current[kind].length >= limit || count >= MAX_ITEMS_PER_BATCH || bytes + size > MAX_BATCH_BYTES) flush();
    (current[kind] as Array<typeof item>).push(item);
    bytes += size;
  };
  // Params and tags first: a run's description arrives before its numbers, as MLflow's client sends it.
  for (const p of params) add("params", p, MAX_PARAMS_PER_BATCH);
  for (const t of tags) add("tags", t, MAX_TAGS_PER_BATCH);
  for (const m of metrics) add("metrics", m, MAX_METRICS_PER_BATCH);
  flush();
  return bodies;
}

function emptyBody(runId: string): LogBatchBody {
  return { run_id: runId, metrics: [], params: [], tags: [] };
}

function bodyBytes(body: LogBatchBody): number {
  return Buffer.byteLength(JSON.stringify(body), "utf8");
}
