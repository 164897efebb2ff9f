// Picking several categories from possibly many (50+): a filter box, "all"/"none", and a
// list of checkboxes. Native checkboxes keep it keyboard usable (Tab, Space) for free.
import { useMemo, useState } from "preact/hooks";

export interface CategoryChecklistProps {
  legend: string;
  categories: string[];
  selected: string[];
  onChange: (selected: string[]) => void;
  /** Names listed with a note (e.g. "no model yet"). */
  notes?: Record<string, string>;
  testId?: string;
}

const FILTER_FROM = 12;

export function CategoryChecklist({ legend, categories, selected, onChange, notes, testId }: CategoryChecklistProps) {
  const [filter, setFilter] = useState("");
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return needle === "" ? categories : categories.filter((c) => c.toLowerCase().includes(needle));
  }, [categories, filter]);
  const chosen = new Set(selected);
  // Keep the order of the category list, whatever order the clicks came in.
  const toggle = (name: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(name);
    else next.delete(name);
    onChange(categories.filter((c) => next.has(c)));
  };

  return (
    <fieldset class="checklist" data-testid={testId}>
      <legend>
        {legend}{" "}
        <span class="muted">
          ({selected.length} of {categories.length})
        </span>
      </legend>
      <div class="checklist-tools">
        {categories.length >= FILTER_FROM && (
          <input
            type="search"
            placeholder="Filter…"
            aria-label={`Filter ${legend.toLowerCase()}`}
            value={filter}
            onInput={(e) => setFilter(e.currentTarget.value)}
          />
        )}
        <button type="button" class="link" onClick={() => onChange([...categories])}>
          All
        </button>
        <button type="button" class="link" onClick={() => onChange([])}>
          None
        </button>
      </div>
      <ul>
        {shown.map((name) => (
          <li key={name}>
            <label>
              <input type="checkbox" checked={chosen.has(name)} onChange={(e) => toggle(name, e.currentTarget.checked)} />
              {name}
              {notes?.[name] && <span class="muted"> ({notes[name]})</span>}
            </label>
          </li>
        ))}
        {shown.length === 0 && <li class="muted">No category matches "{filter}".</li>}
      </ul>
    </fieldset>
  );
}
