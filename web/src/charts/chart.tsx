// An ECharts instance in a div: created on mount, updated when the option changes, resized
// with its box, disposed on unmount. Pages pass a plain option object.
//
// Updates replace the series and the dataset but keep everything the user did to the chart:
// the zoom window stays where it was dragged, and legend entries clicked on or off stay so
// while the data moves under them (slider, date range).
import { useEffect, useRef } from "preact/hooks";
import { echarts, PALETTE, type ChartInstance, type ChartOption } from "./echarts.js";

export interface ChartProps {
  option: ChartOption;
  /** Accessible name: what the chart shows (the canvas itself is not readable by a screen reader). */
  label: string;
  height?: number;
  testId?: string;
}

interface LegendOption {
  selected?: Record<string, boolean>;
}

export function Chart({ option, label, height = 360, testId }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ChartInstance | null>(null);
  /** Legend entries the user switched, by series name. */
  const userLegend = useRef(new Map<string, boolean>());

  useEffect(() => {
    const element = box.current!;
    const instance = echarts.init(element, undefined, { renderer: "canvas" });
    chart.current = instance;
    // Tests (and curious users in the console) can read what is drawn from the element.
    (element as HTMLDivElement & { __chart?: ChartInstance }).__chart = instance;
    instance.on("legendselectchanged", (event) => {
      const { name, selected } = event as { name: string; selected: Record<string, boolean> };
      userLegend.current.set(name, selected[name]);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    instance.setOption({ color: PALETTE, ...withUserLegend(option, userLegend.current) }, { replaceMerge: ["series", "dataset"], lazyUpdate: true });
  }, [option]);

  return <div ref={box} class="chart" role="img" aria-label={label} data-testid={testId} style={{ height: `${height}px` }} />;
}

/** The option with the user's legend choices applied to the series that are still there. */
function withUserLegend(option: ChartOption, choices: Map<string, boolean>): ChartOption {
  const legend = option.legend as LegendOption | undefined;
  if (!legend || choices.size === 0) return option;
  const names = new Set(((option.series ?? []) as Array<{ name?: string }>).map((s) => s.name));
  const selected = { ...legend.selected };
  for (const [name, on] of choices) if (names.has(name)) selected[name] = on;
  return { ...option, legend: { ...legend, selected } };
}
