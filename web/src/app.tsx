// The shell: a header with the four pages and the page picked by the address (#/explorer, ...).
// Pages are separate components so each keeps its own state and loads only what it shows.
import { useEffect, useRef } from "preact/hooks";
import { hrefFor, PAGES, useRoute, type Page } from "./lib/route.js";
import { ExplorerPage } from "./pages/explorer.js";
import { PredictPage } from "./pages/predict.js";
import { RunsPage } from "./pages/runs.js";
import { TrainPage } from "./pages/train.js";

const TITLES: Record<Page, string> = { explorer: "Explorer", predict: "Predict", train: "Train", runs: "Runs" };

export function App() {
  const route = useRoute();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${TITLES[route.page]} · salescast`;
  }, [route.page]);

  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => (e.preventDefault(), heading.current?.focus())}>
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={hrefFor("explorer")}>
          salescast
        </a>
        <nav aria-label="Pages">
          {PAGES.map((page) => (
            <a key={page} href={hrefFor(page)} aria-current={route.page === page ? "page" : undefined} data-testid={`nav-${page}`}>
              {TITLES[page]}
            </a>
          ))}
        </nav>
        <a class="api-docs" href="/docs" target="_blank" rel="noopener">
          API docs
        </a>
      </header>
      <main id="main">
        <h1 ref={heading} tabIndex={-1}>
          {TITLES[route.page]}
        </h1>
        {route.page === "explorer" && <ExplorerPage params={route.params} />}
        {route.page === "predict" && <PredictPage params={route.params} />}
        {route.page === "train" && <TrainPage params={route.params} />}
        {route.page === "runs" && <RunsPage params={route.params} />}
      </main>
    </>
  );
}
