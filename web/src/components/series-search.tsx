// Picking series from a catalogue too large for one list (tens of thousands of store x item
// series): a search box asks the server for the first matches (GET /api/series?search=), the
// picked ones stay listed above the matches. Same look and keyboard use as CategoryChecklist.
import { useState } from "preact/hooks";
import { listSeries } from "../api.js";
import { useAsync } from "../lib/use-async.js";

export interface SeriesSearchProps {
  legend: string;
  /** How many series the data has (GET /api/series total_count). */
  total: number;
  selected: string[];
  onChange: (selected: string[]) => void;
  testId?: string;
}

/** Matches shown per search: enough to pick from, refine the search for others. */
const MATCHES_SHOWN = 20;

export function SeriesSearch({ legend, total, selected, onChange, testId }: SeriesSearchProps) {
  const [search, setSearch] = useState("");
  const matches = useAsync((signal) => listSeries({ search: search.trim(), pageSize: MATCHES_SHOWN }, signal), [search]);
  const chosen = new Set(selected);
  const toggle = (name: string, on: boolean) => onChange(on ? [...selected.filter((s) => s !== name), name] : selected.filter((s) => s !== name));
  const found = matches.data?.series.filter((s) => !chosen.has(s.name)) ?? [];
  const more = (matches.data?.total_count ?? 0) - (matches.data?.series.length ?? 0);

  return (
    <fieldset class="checklist" data-testid={testId}>
      <legend>
        {legend}{" "}
        <span class="muted">
          ({selected.length} of {total.toLocaleString()})
        </span>
      </legend>
      <div class="checklist-tools">
        <input
          type="search"
          placeholder="Search, e.g. CA_1 FOODS_3…"
          aria-label={`Search ${legend.toLowerCase()}`}
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
          data-testid={testId && `${testId}-search`}
        />
        <button type="button" class="link" onClick={() => onChange([])}>
          None
        </button>
      </div>
      <ul>
        {selected.map((name) => (
          <li key={`picked:${name}`}>
            <label>
              <input type="checkbox" checked onChange={() => toggle(name, false)} />
              {name}
            </label>
          </li>
        ))}
        {found.map((s) => (
          <li key={s.name}>
            <label>
              <input type="checkbox" checked={false} onChange={(e) => toggle(s.name, e.currentTarget.checked)} />
              {s.name}
            </label>
          </li>
        ))}
        {matches.status === "error" && <li class="muted">The search failed: {matches.error}</li>}
        {matches.status === "ready" && matches.data.total_count === 0 && <li class="muted">No series matches "{search}".</li>}
        {more > 0 && (
          <li class="muted" data-testid={testId && `${testId}-more`}>
            {more.toLocaleString()} more match: refine the search.
          </li>
        )}
      </ul>
    </fieldset>
  );
}
