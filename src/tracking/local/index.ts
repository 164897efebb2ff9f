// The local tracking store's public surface: a folder laid out like MLflow's file store
// (local-store.ts), its metric files (local-metrics.ts) and artifact copies (local-artifacts.ts).
export { LocalTrackingStore, experimentIdFor } from "./local-store.js";
