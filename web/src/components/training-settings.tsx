// The settings of a training job a user changes (epochs, window, seed, calendar features and,
// once there are several, the architecture), prefilled with the server's configuration. Each
// box shows what is wrong with it: not a whole number (checked here), or the server's refusal
// ("must be at least 3 ...") when it names this setting.
import type { TrainingDefaults } from "../api-types.js";
import type { TrainingField, TrainingForm } from "../lib/training-form.js";

export interface TrainingSettingsProps {
  form: TrainingForm;
  defaults: TrainingDefaults;
  /** "days" / "weeks": the unit of the window. */
  units: string;
  /** Boxes that do not hold a whole number. */
  problems: Partial<Record<TrainingField, string>>;
  /** The server's refusal of a field, if it named that one. */
  errorOf: (field: TrainingField) => string | undefined;
  onChange: (form: TrainingForm) => void;
}

export function TrainingSettings({ form, defaults, units, problems, errorOf, onChange }: TrainingSettingsProps) {
  const number = (field: "epochs" | "window" | "seed", label: string, hint: string, limits: { min?: number; max?: number }) => {
    const problem = problems[field] ?? errorOf(field);
    return (
      <label class="setting">
        {label}
        <input
          type="number"
          inputMode="numeric"
          step={1}
          min={limits.min}
          max={limits.max}
          value={form[field]}
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={`train-hint-${field}`}
          data-testid={`train-${field}`}
          onInput={(e) => onChange({ ...form, [field]: e.currentTarget.value })}
        />
        {problem ? (
          <span id={`train-hint-${field}`} class="field-error" role="alert" data-testid={`train-error-${field}`}>
            {problem}
          </span>
        ) : (
          <span id={`train-hint-${field}`} class="hint">
            {hint}
          </span>
        )}
      </label>
    );
  };
  const featureError = errorOf("dayOfWeek") ?? errorOf("month");
  const architectureError = errorOf("architecture");
  return (
    <fieldset class="training-settings" data-testid="train-settings">
      <legend>Settings for this job</legend>
      {number("epochs", "Epochs (at most)", `server: ${defaults.max_epochs}`, { min: 1, max: defaults.limits.max_epochs })}
      {number("window", `Window (${units})`, `server: ${defaults.window_size}`, { min: defaults.limits.min_window_size })}
      {number("seed", "Seed", `server: ${defaults.seed}`, { min: 0 })}
      <div class="setting">
        <span class="setting-label">Calendar features</span>
        <label class="inline">
          <input
            type="checkbox"
            checked={form.dayOfWeek}
            onChange={(e) => onChange({ ...form, dayOfWeek: e.currentTarget.checked })}
            data-testid="train-day-of-week"
          />
          day of week
        </label>
        <label class="inline">
          <input type="checkbox" checked={form.month} onChange={(e) => onChange({ ...form, month: e.currentTarget.checked })} data-testid="train-month" />
          month
        </label>
        {featureError && (
          <span class="field-error" role="alert" data-testid="train-error-features">
            {featureError}
          </span>
        )}
      </div>
      <label class="setting">
        Architecture
        <select
          value={form.architecture}
          disabled={defaults.architectures.length < 2}
          aria-invalid={architectureError ? "true" : undefined}
          data-testid="train-architecture"
          onChange={(e) => onChange({ ...form, architecture: e.currentTarget.value })}
        >
          {defaults.architectures.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        {architectureError ? (
          <span class="field-error" role="alert" data-testid="train-error-architecture">
            {architectureError}
          </span>
        ) : (
          defaults.architectures.length < 2 && <span class="hint">the only one for now</span>
        )}
      </label>
    </fieldset>
  );
}
