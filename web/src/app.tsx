// The shell: a header with the five pages and the page picked by the address (#/explorer, ...).
// Pages are separate components so each keeps its own state and loads only what it shows.
// The server's settings (currency, frequency, training defaults) are read first, so the first
// figures shown are already formatted the way they will stay.
import { useEffect, useMemo, useRef } from "preact/hooks";
import { getSettings } from "./api.js";
import { Loading } from "./components/status.js";
import { setDisplay } from "./lib/format.js";
import { hrefFor, PAGES, useRoute, type Page } from "./lib/route.js";
import { DEFAULT_SETTINGS, SettingsContext } from "./lib/settings.js";
import { useAsync } from "./lib/use-async.js";
import { CataloguePage } from "./pages/catalogue.js";
import { ExplorerPage } from "./pages/explorer.js";
import { PredictPage } from "./pages/predict.js";
import { RunsPage } from "./pages/runs.js";
import { TrainPage } from "./pages/train.js";

const TITLES: Record<Page, string> = { explorer: "Explorer", catalogue: "Catalogue", predict: "Predict", train: "Train", runs: "Runs" };

export function App() {
  const route = useRoute();
  const heading = useRef<HTMLHeadingElement>(null);
  // A server without the route (or a failed request) leaves the defaults: plain numbers, days.
  const loaded = useAsync((signal) => getSettings(signal).catch(() => DEFAULT_SETTINGS), []);
  const settings = useMemo(() => {
    if (!loaded.data) return undefined;
    setDisplay({ currency: loaded.data.currency });
    return loaded.data;
  }, [loaded.data]);

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
        {!settings ? (
          <Loading what="the server's settings" />
        ) : (
          <SettingsContext.Provider value={settings}>
            {route.page === "explorer" && <ExplorerPage params={route.params} />}
            {route.page === "catalogue" && <CataloguePage params={route.params} />}
            {route.page === "predict" && <PredictPage params={route.params} />}
            {route.page === "train" && <TrainPage params={route.params} />}
            {route.page === "runs" && <RunsPage params={route.params} />}
          </SettingsContext.Provider>
        )}
      </main>
    </>
  );
}
