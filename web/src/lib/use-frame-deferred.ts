// A value that follows another at most once per animation frame. Dragging the rolling-mean
// slider fires many input events; the chart redraw takes longer than the time between them,
// so redrawing for each would queue work and lag behind the hand. With this, the control
// itself updates at once and the chart jumps to the latest value when it is free.
import { useEffect, useState } from "preact/hooks";

export function useFrameDeferred<T>(value: T): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    const frame = requestAnimationFrame(() => setShown(value));
    return () => cancelAnimationFrame(frame);
  }, [value]);
  return shown;
}
