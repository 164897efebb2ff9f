// The states every page shares: loading, an error the user can read (and retry), nothing yet.
import type { ComponentChildren } from "preact";

export function Loading({ what }: { what: string }) {
  return (
    <p class="status loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function ErrorMessage({ title, message, onRetry }: { title?: string; message: string; onRetry?: () => void }) {
  return (
    <div class="status error" role="alert" data-testid="error">
      <strong>{title ?? "Something went wrong"}</strong>
      <p>{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="status empty" data-testid="empty">
      <strong>{title}</strong>
      {children}
    </div>
  );
}

/** No model is registered yet: say exactly how to get one. */
export function NoModels() {
  return (
    <Empty title="No trained model yet">
      <p>
        Train one on the <a href="#/train">Train page</a>, or from a terminal in the project folder:
      </p>
      <pre>
        <code>npx salescast train</code>
      </pre>
      <p>The model is served as soon as training finishes; no restart needed.</p>
    </Empty>
  );
}
