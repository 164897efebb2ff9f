// The few browser types the suite's page.evaluate() callbacks use. The root tsconfig checks
// tests/ with Node types only (no DOM lib, which would leak into src/), so callbacks that run
// in the page declare what they touch: `declare const document: BrowserDocument`.

export interface ChartOptionSeen {
  dataZoom?: Array<{ start?: number; end?: number }>;
  series?: Array<{ name?: string; data?: unknown[]; encode?: { x?: unknown; y?: unknown } }>;
  dataset?: Array<{ source?: Record<string, ArrayLike<number | null>> | unknown[] }>;
}

export interface ChartInstance {
  getOption(): ChartOptionSeen;
  dispatchAction(action: Record<string, unknown>): void;
}

export interface BrowserElement {
  __chart?: ChartInstance;
  querySelector(selector: string): BrowserElement | null;
  /** Canvas size. */
  width?: number;
  height?: number;
}

export interface BrowserDocument {
  querySelector(selector: string): BrowserElement | null;
  documentElement: { scrollWidth: number };
}
