// An ECharts instance in a div: created on mount, updated with setOption when the option
// changes, resized with its box, disposed on unmount. Pages pass a plain option object.
import { useEffect, useRef } from "preact/hooks";
import { echarts, PALETTE, type ChartInstance, type ChartOption } from "./echarts.js";

export interface ChartProps {
  option: ChartOption;
  /** Accessible name: what the chart shows (the canvas itself is not readable by a screen reader). */
  label: string;
  height?: number;
  /** Replace the whole option instead of merging (needed when series are removed). */
  replace?: boolean;
  testId?: string;
  onReady?: (chart: ChartInstance) => void;
}

export function Chart({ option, label, height = 360, replace = true, testId, onReady }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ChartInstance | null>(null);

  useEffect(() => {
    const element = box.current!;
    const instance = echarts.init(element, undefined, { renderer: "canvas" });
    chart.current = instance;
    // Tests (and curious users in the console) can read what is drawn from the element.
    (element as HTMLDivElement & { __chart?: ChartInstance }).__chart = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    onReady?.(instance);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ color: PALETTE, ...option }, { notMerge: replace, lazyUpdate: true });
  }, [option, replace]);

  return <div ref={box} class="chart" role="img" aria-label={label} data-testid={testId} style={{ height: `${height}px` }} />;
}
