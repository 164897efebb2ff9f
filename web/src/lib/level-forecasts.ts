// The catalogue model's forecasts of some series of one level, as GET /api/forecasts/{level}
// answers them in CSV (level,series,date,forecast,lo_<L>,hi_<L>...), read into one forecast per
// series: what the Catalogue page draws on its tiles (aggregates included: the total, a store, a
// department) and what its download button saves as it came from the server.

/** One series' forecast with its widest interval (the shape of small-multiples.tsx's TileForecast; a .ts file so Node's tests read it). */
export interface LevelForecast {
  dates: readonly string[];
  values: readonly number[];
  band?: { level: number; lower: ArrayLike<number | null>; upper: ArrayLike<number | null> };
}

/** The cells of one CSV line; a cell in double quotes may hold commas and doubled quotes. */
export function csvCells(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let text = "";
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) throw new Error(`an unclosed quote in the forecasts' CSV: ${line.slice(0, 80)}`);
        text += line.slice(i, close);
        if (line[close + 1] === '"') {
          text += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      cells.push(text);
    } else {
      const comma = line.indexOf(",", i);
      cells.push(line.slice(i, comma < 0 ? line.length : comma));
      i = comma < 0 ? line.length : comma;
    }
    if (i >= line.length) return cells;
    i++; // the comma
  }
}

/** By series name, its forecast with the widest interval the table has. */
export function tileForecastsFromCsv(csv: string): Map<string, LevelForecast> {
  const lines = csv.split("\n").filter((line) => line !== "");
  const out = new Map<string, LevelForecast>();
  if (lines.length === 0) return out;
  const header = csvCells(lines[0]);
  const column = (name: string) => header.indexOf(name);
  const [series, date, forecast] = [column("series"), column("date"), column("forecast")];
  if (series < 0 || date < 0 || forecast < 0) throw new Error(`the forecasts' CSV has no series, date or forecast column: ${lines[0]}`);
  const levels = header.filter((name) => name.startsWith("hi_")).map((name) => Number(name.slice(3)));
  const widest = levels.length > 0 ? Math.max(...levels) : undefined;
  const [lo, hi] = widest === undefined ? [-1, -1] : [column(`lo_${widest}`), column(`hi_${widest}`)];
  const built = new Map<string, { dates: string[]; values: number[]; lower: number[]; upper: number[] }>();
  for (const line of lines.slice(1)) {
    const cells = csvCells(line);
    let entry = built.get(cells[series]);
    if (!entry) built.set(cells[series], (entry = { dates: [], values: [], lower: [], upper: [] }));
    entry.dates.push(cells[date]);
    entry.values.push(Number(cells[forecast]));
    if (widest !== undefined) {
      entry.lower.push(Number(cells[lo]));
      entry.upper.push(Number(cells[hi]));
    }
  }
  for (const [name, e] of built) {
    out.set(name, { dates: e.dates, values: e.values, ...(widest === undefined ? {} : { band: { level: widest, lower: e.lower, upper: e.upper } }) });
  }
  return out;
}
