// Train: start a training job for some categories (all by default) with the settings a user
// changes (epochs, window, seed, calendar features, architecture), follow it live (epoch, batch,
// loss curve per category), and see each category's metrics against the baselines and its
// evaluation plot as soon as that category has finished, or why it failed. The server checks
// the settings as config.yaml's schema does; a refusal is shown next to the field it is about.
// The job id stays in the address, so a reload picks the job up again.
import { useEffect, useState } from "preact/hooks";
import {
  ApiError,
  artifactUrl,
  getCategories,
  getJobs,
  isFinishedJob,
  startTraining,
  type CategoryProgress,
  type CategoryResult,
  type JobSnapshot,
} from "../api.js";
import { CategoryChecklist } from "../components/category-checklist.js";
import { LiveLossChart, RunsLossChart } from "../components/loss-chart.js";
import { BASELINE_LABELS, MetricsTable, type MetricsColumn } from "../components/metrics-table.js";
import { Empty, ErrorMessage, Loading } from "../components/status.js";
import { TrainingSettings } from "../components/training-settings.js";
import { format } from "../lib/format.js";
import type { EpochLoss, JobLosses } from "../lib/job-losses.js";
import { periodWords } from "../lib/period.js";
import { replaceParams } from "../lib/route.js";
import { useSettings } from "../lib/settings.js";
import { describeOverrides, fieldOfError, formFromDefaults, formProblems, overridesFrom, type TrainingField, type TrainingForm } from "../lib/training-form.js";
import { errorText, useAsync } from "../lib/use-async.js";
import { useJob } from "../lib/use-job.js";

const DEFAULT_EXPERIMENT = "sales-forecast";

export function TrainPage({ params }: { params: URLSearchParams }) {
  const categories = useAsync((signal) => getCategories(signal), []);
  const [picked, setPicked] = useState<string[] | null>(null);
  const [experiment, setExperiment] = useState(DEFAULT_EXPERIMENT);
  const settings = useSettings();
  const [form, setForm] = useState<TrainingForm>(() => formFromDefaults(settings.training));
  const [jobId, setJobId] = useState<string | null>(params.get("job"));
  /** A refusal of the server, next to the field it names (or above the form when it names none). */
  const [failure, setFailure] = useState<{ message: string; field?: TrainingField } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const followed = useJob(jobId);
  const running = followed.job !== null && !isFinishedJob(followed.job.state);

  // Coming back without a job in the address: follow the training still going on, if any.
  useEffect(() => {
    if (jobId) return;
    const controller = new AbortController();
    getJobs(controller.signal).then(
      (jobs) => {
        const active = jobs.find((j) => !isFinishedJob(j.state));
        if (active) setJobId(active.id);
      },
      () => undefined, // an older server without GET /api/jobs: nothing to resume
    );
    return () => controller.abort();
  }, []);

  // A finished job registered new models: the "no model yet" notes must go.
  const finished = followed.job !== null && isFinishedJob(followed.job.state);
  useEffect(() => {
    if (finished) categories.reload();
  }, [finished]);

  if (categories.status === "loading" && !categories.data) return <Loading what="categories" />;
  if (categories.status === "error") return <ErrorMessage title="Could not load the categories" message={categories.error} onRetry={categories.reload} />;
  const names = categories.data!.categories.filter((c) => c.in_data).map((c) => c.name);
  if (names.length === 0) return <Empty title="No categories to train">The server found no sales data: check data.csv_path in config/config.yaml.</Empty>;
  const selected = picked ?? names;
  const notes = Object.fromEntries(categories.data!.categories.filter((c) => !c.has_model).map((c) => [c.name, "no model yet"]));

  const problems = formProblems(form);
  const formOk = Object.keys(problems).length === 0;
  const start = async (event: Event) => {
    event.preventDefault();
    if (selected.length === 0 || submitting || !formOk) return;
    setSubmitting(true);
    setFailure(null);
    try {
      const accepted = await startTraining(selected, experiment, overridesFrom(form, settings.training));
      setJobId(accepted.job_id);
      replaceParams("train", { job: accepted.job_id });
    } catch (error) {
      const message = errorText(error);
      setFailure({ message, field: error instanceof ApiError && error.status >= 400 && error.status < 500 ? fieldOfError(message) : undefined });
    } finally {
      setSubmitting(false);
    }
  };
  const fieldError = (field: TrainingField) => (failure?.field === field ? failure.message : undefined);
  const changeForm = (next: TrainingForm) => {
    setForm(next);
    if (failure?.field && failure.field !== "categories" && failure.field !== "experiment") setFailure(null);
  };

  return (
    <div class="page train">
      <form class="controls" onSubmit={start} aria-label="Training settings" noValidate>
        <div class="checklist-with-error">
          <CategoryChecklist legend="Categories to train" categories={names} selected={selected} onChange={setPicked} notes={notes} testId="train-categories" />
          <FieldError message={fieldError("categories")} testId="train-error-categories" />
        </div>
        <TrainingSettings
          form={form}
          defaults={settings.training}
          units={periodWords(settings.frequency).units}
          problems={problems}
          errorOf={fieldError}
          onChange={changeForm}
        />
        <div class="control-group">
          <label>
            Experiment name
            <input
              type="text"
              value={experiment}
              required
              maxLength={200}
              aria-invalid={fieldError("experiment") ? "true" : undefined}
              onInput={(e) => setExperiment(e.currentTarget.value)}
              data-testid="train-experiment"
            />
            <FieldError message={fieldError("experiment")} testId="train-error-experiment" />
          </label>
          <button
            type="submit"
            class="primary"
            disabled={selected.length === 0 || submitting || running || experiment.trim() === "" || !formOk}
            data-testid="train-start"
          >
            {submitting ? "Starting…" : running ? "Training…" : `Train ${selected.length} categor${selected.length === 1 ? "y" : "ies"}`}
          </button>
          {selected.length === 0 && <p class="muted">Pick at least one category.</p>}
          <p class="hint">Training runs on the server; you can leave this page and come back with the same address.</p>
        </div>
      </form>
      {failure && !failure.field && <ErrorMessage title="Training could not start" message={failure.message} />}
      {followed.error && !followed.job && <ErrorMessage title="Could not follow the training job" message={followed.error} />}
      {followed.job && <JobView job={followed.job} losses={followed.losses} warning={followed.error} units={periodWords(settings.frequency).units} />}
    </div>
  );
}

/** The server's refusal next to the field it is about. */
export function FieldError({ message, testId }: { message?: string; testId: string }) {
  if (!message) return null;
  return (
    <span class="field-error" role="alert" data-testid={testId}>
      {message}
    </span>
  );
}

const STATE_TEXT: Record<JobSnapshot["state"], string> = {
  queued: "Waiting for another training job to finish",
  running: "Training",
  succeeded: "Finished",
  failed: "Failed",
  cancelled: "Cancelled",
};

function JobView({ job, losses, warning, units }: { job: JobSnapshot; losses: JobLosses; warning: string | null; units: string }) {
  const ok = job.results.filter((r) => r.status === "ok").length;
  const changed = describeOverrides(job.overrides, units);
  return (
    <section class="job" aria-live="polite" data-testid="train-job" data-state={job.state}>
      <h2>
        Training job <code class="muted">{job.id.slice(0, 8)}</code>{" "}
        <span class={`badge state-${job.state}`} data-testid="train-job-state">
          {STATE_TEXT[job.state]}
        </span>
      </h2>
      <p class="muted">
        Experiment {job.experiment_name || "(default)"} · {job.categories.length} categor{job.categories.length === 1 ? "y" : "ies"}
        {(isFinishedJob(job.state) || ok > 0) && ` · ${ok} trained`}
        {changed && <span data-testid="train-job-overrides"> · {changed}</span>}
      </p>
      {job.error && <ErrorMessage title="The job failed" message={job.error} />}
      {warning && <p class="muted">Connection trouble, retrying: {warning}</p>}
      <div class="category-cards">
        {job.categories.map((category) => (
          <CategoryCard
            key={category}
            category={category}
            progress={job.progress.find((p) => p.category === category)}
            result={job.results.find((r) => r.category === category)}
            losses={losses[category] ?? []}
            jobFinished={isFinishedJob(job.state)}
          />
        ))}
      </div>
    </section>
  );
}

interface CategoryCardProps {
  category: string;
  progress?: CategoryProgress;
  result?: CategoryResult;
  losses: readonly EpochLoss[];
  jobFinished: boolean;
}

function CategoryCard({ category, progress, result, losses, jobFinished }: CategoryCardProps) {
  const status = result?.status ?? (progress?.state === "training" ? "training" : jobFinished ? "not trained" : "waiting");
  return (
    <article class={`category-card status-${status.replace(" ", "-")}`} data-testid={`train-card-${category}`} data-status={status}>
      <header>
        <h3>{category}</h3>
        <span class={`badge status-${status.replace(" ", "-")}`}>{status}</span>
      </header>
      {!result && progress && progress.state === "training" && <ProgressBar progress={progress} />}
      {!result && losses.length > 0 && (
        <LiveLossChart losses={losses} label={`Loss by epoch while training ${category}`} testId={`train-live-loss-${category}`} />
      )}
      {result && <CategoryOutcome result={result} liveLosses={losses} />}
    </article>
  );
}

function ProgressBar({ progress }: { progress: CategoryProgress }) {
  const total = progress.max_epochs * Math.max(1, progress.batches);
  const done = Math.max(0, progress.epoch - 1) * Math.max(1, progress.batches) + progress.batch;
  const loss = progress.loss ?? progress.train_loss;
  return (
    <div class="progress">
      <progress max={total || 1} value={Math.min(done, total)} aria-label={`Training progress of ${progress.category}`} />
      <p>
        Epoch {progress.epoch}/{progress.max_epochs} · batch {progress.batch}/{progress.batches}
        {loss !== null && ` · loss ${format.loss(loss)}`}
        {progress.val_loss !== null && ` · validation loss ${format.loss(progress.val_loss)}`}
      </p>
    </div>
  );
}

function CategoryOutcome({ result, liveLosses }: { result: CategoryResult; liveLosses: readonly EpochLoss[] }) {
  if (result.status !== "ok") {
    return (
      <div class="status error" role="alert" data-testid={`train-failure-${result.category}`}>
        <strong>{result.status === "skipped" ? "Skipped" : "Failed"}</strong>
        <p>{result.reason ?? "No reason was given."}</p>
      </div>
    );
  }
  const columns: MetricsColumn[] = [{ name: "Model", metrics: result.metrics ?? {} }];
  for (const [name, label] of Object.entries(BASELINE_LABELS)) {
    const m = result.baselines?.[name];
    if (m) columns.push({ name: label, metrics: m });
  }
  return (
    <div class="outcome">
      <p>
        Registered as version <strong data-testid={`train-version-${result.category}`}>{result.version ?? "?"}</strong>
        {/* Models fitted without epochs (Holt-Winters, the baselines) have none to show. */}
        {result.epochs > 0 ? ` · best epoch ${result.best_epoch} of ${result.epochs}` : ""} · {format.seconds(result.seconds)} s
      </p>
      <div class="outcome-grid">
        <div>
          <MetricsTable caption="Validation accuracy against the baselines (best in bold)" columns={columns} testId={`train-metrics-${result.category}`} />
          {result.run_id ? (
            <RunsLossChart runs={[{ run_id: result.run_id, run_name: result.category }]} height={220} />
          ) : (
            liveLosses.length > 0 && <LiveLossChart losses={liveLosses} label={`Loss by epoch of ${result.category}`} />
          )}
        </div>
        {result.run_id && <EvaluationPlot runId={result.run_id} category={result.category} />}
      </div>
    </div>
  );
}

function EvaluationPlot({ runId, category }: { runId: string; category: string }) {
  const [failed, setFailed] = useState(false);
  if (failed) return <p class="muted">The evaluation plot is not available from the tracking store.</p>;
  return (
    <figure class="eval-plot">
      <img
        src={artifactUrl({ run_id: runId }, "eval_plot.png")}
        alt={`Evaluation plot of ${category}: validation actuals against the forecasts`}
        loading="lazy"
        onError={() => setFailed(true)}
      />
      <figcaption>Validation part: actual sales against the model and the baselines.</figcaption>
    </figure>
  );
}
