// Inputs for the covariates a model reads (model.features.covariates): one text box per
// covariate holding its values for the window's periods and then for each forecast period, one
// per line. The window's part comes prefilled from the data file; the forecast periods' values
// are the user's to give (they are future values known in advance, like a planned promotion).
import { checkValueList } from "../lib/cells.js";
import { formatDate } from "../lib/format.js";

export interface CovariateInputsProps {
  names: string[];
  /** Text per covariate, as typed. */
  texts: Record<string, string>;
  onChange: (texts: Record<string, string>) => void;
  windowSize: number;
  /** Dates of the forecast periods the values after the window are for. */
  futureDates: string[];
  /** "days" / "weeks". */
  units: string;
}

export function CovariateInputs({ names, texts, onChange, windowSize, futureDates, units }: CovariateInputsProps) {
  const expected = windowSize + futureDates.length;
  const range =
    futureDates.length === 0
      ? ""
      : futureDates.length === 1
        ? formatDate(futureDates[0])
        : `${formatDate(futureDates[0])} to ${formatDate(futureDates[futureDates.length - 1])}`;
  return (
    <fieldset class="covariates" data-testid="predict-covariates">
      <legend>Covariates this model reads</legend>
      <p class="hint">
        One value per line: the {windowSize} {units} of the window (from the data), then {futureDates.length} for the forecast ({range}).
      </p>
      {names.map((name) => {
        const check = checkValueList(texts[name] ?? "", expected);
        const id = `covariate-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
        return (
          <label key={name}>
            {name}
            <textarea
              rows={6}
              spellcheck={false}
              value={texts[name] ?? ""}
              aria-invalid={check.ok ? undefined : "true"}
              aria-describedby={`${id}-status`}
              data-testid={`covariate-${name}`}
              onInput={(e) => onChange({ ...texts, [name]: e.currentTarget.value })}
            />
            <span id={`${id}-status`} class={check.ok ? "hint" : "cell-problem"} data-testid={`covariate-status-${name}`}>
              {check.ok ? `${expected} values` : check.problem}
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}
