// The API key prompt: a modal dialog opened when an answer is 401 (lib/api-key.ts asks), for
// whichever page made the request. The key entered goes back to the request that was refused,
// which is sent again with it.
import { useEffect, useRef, useState } from "preact/hooks";
import { keyProblem, onKeyNeeded, type KeyRequest } from "../lib/api-key.js";

interface Pending extends KeyRequest {
  answer(key: string | undefined): void;
}

export function KeyDialog() {
  const [pending, setPending] = useState<Pending | null>(null);
  const [key, setKey] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => onKeyNeeded((request) => new Promise((answer) => setPending({ ...request, answer }))), []);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (pending && !element.open) {
      element.showModal();
      input.current?.focus();
    } else if (!pending && element.open) {
      element.close();
    }
  }, [pending]);

  const finish = (entered: string | undefined) => {
    // Closed here, not only by the effect after the next render: the page behind must take
    // clicks again as soon as the person has answered.
    dialog.current?.close();
    pending?.answer(entered);
    setPending(null);
    setKey("");
    setProblem(null);
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const why = keyProblem(key);
    if (why) {
      setProblem(why);
      input.current?.focus();
      return;
    }
    finish(key.trim());
  };

  return (
    <dialog
      ref={dialog}
      class="key-dialog"
      aria-labelledby="key-dialog-title"
      data-testid="key-dialog"
      // Escape closes a modal dialog: that is a cancel.
      onCancel={(event) => {
        event.preventDefault();
        finish(undefined);
      }}
    >
      {pending && (
        <form onSubmit={submit}>
          <h2 id="key-dialog-title">{pending.refused ? "That API key was refused" : "This server needs its API key"}</h2>
          <p>
            {pending.refused
              ? "Check the key and type it again."
              : pending.training
                ? "Training on this server needs its API key."
                : "This server shows its data only to those who have its API key."}{" "}
            It is the value of <code>SALESCAST_API_KEY</code> on the server; ask whoever runs it.
          </p>
          <p class="hint" data-testid="key-dialog-message">
            The server said: {pending.message}
          </p>
          <p class="hint">The key is kept in this browser tab only, and sent with every request until the tab is closed.</p>
          <label>
            API key
            <input
              ref={input}
              type="password"
              autocomplete="off"
              spellcheck={false}
              value={key}
              aria-invalid={problem ? "true" : undefined}
              onInput={(e) => {
                setKey(e.currentTarget.value);
                setProblem(null);
              }}
              data-testid="key-input"
            />
          </label>
          {problem && (
            <span class="field-error" role="alert" data-testid="key-problem">
              {problem}
            </span>
          )}
          <div class="key-dialog-actions">
            <button type="button" onClick={() => finish(undefined)} data-testid="key-cancel">
              Cancel
            </button>
            <button type="submit" class="primary" data-testid="key-submit">
              Use this key
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
