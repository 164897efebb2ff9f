// The editable input window of the Predict page: one row per period (T-N … T-1 with its
// date), checked on every keystroke. A bad cell is marked (aria-invalid, red border, the
// problem beside it) and the page will not send the window until every cell is a number.
// Pasting a column copied from a spreadsheet fills the cells from the one pasted into.
import { checkCell, splitValues } from "../lib/cells.js";
import { formatDate } from "../lib/format.js";

export interface WindowTableProps {
  dates: string[];
  cells: string[];
  onChange: (cells: string[]) => void;
  /** "days" / "weeks": what the rows are. */
  units: string;
  /** Header of the date column: "Day" or "Week starting". */
  dateLabel: string;
}

export function WindowTable({ dates, cells, onChange, units, dateLabel }: WindowTableProps) {
  const n = cells.length;
  const setCell = (index: number, text: string) => {
    const next = [...cells];
    next[index] = text;
    onChange(next);
  };
  const onPaste = (index: number, event: ClipboardEvent) => {
    const text = event.clipboardData?.getData("text/plain") ?? "";
    const parts = splitValues(text);
    if (parts.length < 2) return; // one value: the normal paste into this cell
    event.preventDefault();
    const next = [...cells];
    parts.slice(0, n - index).forEach((part, k) => (next[index + k] = part));
    onChange(next);
  };

  return (
    <div class="table-scroll window-table-wrap">
      <table class="window-table" data-testid="predict-window">
        <caption>
          The last {n} {units} the model sees. Edit any value, or paste a column to fill several.
        </caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">{dateLabel}</th>
            <th scope="col">Sales</th>
          </tr>
        </thead>
        <tbody>
          {cells.map((text, i) => {
            const check = checkCell(text);
            const label = `T-${n - i}`;
            const problemId = `cell-problem-${i}`;
            return (
              <tr key={i} class={check.ok ? undefined : "invalid"}>
                <th scope="row">{label}</th>
                <td class="date" data-date={dates[i]}>
                  {dates[i] ? formatDate(dates[i]) : ""}
                </td>
                <td>
                  <input
                    type="text"
                    inputMode="decimal"
                    autoComplete="off"
                    spellcheck={false}
                    value={text}
                    aria-label={`Sales at ${label}${dates[i] ? ` (${formatDate(dates[i])})` : ""}`}
                    aria-invalid={check.ok ? undefined : "true"}
                    aria-describedby={check.ok ? undefined : problemId}
                    data-testid={`cell-${i}`}
                    onInput={(e) => setCell(i, e.currentTarget.value)}
                    onPaste={(e) => onPaste(i, e)}
                  />
                  {!check.ok && (
                    <span id={problemId} class="cell-problem" data-testid={`cell-problem-${i}`}>
                      {check.problem}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
