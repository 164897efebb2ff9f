// Hash routing: "#/predict?category=Beauty". The server only has to serve index.html at "/",
// and every page state worth sharing (page, picked categories) lives in the address.
import { useEffect, useState } from "preact/hooks";

export const PAGES = ["explorer", "catalogue", "predict", "train", "runs"] as const;
export type Page = (typeof PAGES)[number];

export interface Route {
  page: Page;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const text = hash.replace(/^#\/?/, "");
  const [path, query = ""] = text.split("?", 2);
  const page = (PAGES as readonly string[]).includes(path) ? (path as Page) : "explorer";
  return { page, params: new URLSearchParams(query) };
}

export function hrefFor(page: Page, params?: Record<string, string | string[] | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) query.set(key, value.join(","));
    } else if (value !== "") query.set(key, value);
  }
  const suffix = query.size > 0 ? `?${query}` : "";
  return `#/${page}${suffix}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

/** Updates the page's parameters in the address without adding a history entry per click. */
export function replaceParams(page: Page, params: Record<string, string | string[] | undefined>): void {
  const href = hrefFor(page, params);
  if (window.location.hash !== href) history.replaceState(null, "", href);
}
