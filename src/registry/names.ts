// Category names and aliases, checked the same way by both registries. Category names come
// from data files and HTTP requests; they are never used as paths. A category gets a folder
// name made here (a readable slug plus a hash of the exact name): the local registry's version
// folders and the MLflow registry's download cache both use it, and every later access goes
// through a lookup by exact name.
import { createHash } from "node:crypto";
import { RegistryError } from "./registry.js";

export const MAX_CATEGORY_LENGTH = 200;
const SLUG_LENGTH = 40;

/** "Beauty" -> "beauty-3f2a9c": only [a-z0-9-]; names that slug the same still differ by hash. */
export function safeDirName(category: string, hashLength = 6): string {
  const slug =
    category
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "") // drop accents: "Café" -> "cafe"
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+/, "")
      .slice(0, SLUG_LENGTH)
      .replace(/-+$/, "") || "category";
  const hash = createHash("sha256").update(category, "utf8").digest("hex").slice(0, hashLength);
  return `${slug}-${hash}`;
}

/** Checks a category name that is about to be stored (stage, commit). Lookups need no check: they only match exactly. */
export function checkCategoryName(category: unknown): string {
  if (typeof category !== "string" || category.trim() === "") {
    throw new RegistryError(`category must be a non-empty string, got ${category === "" ? '""' : typeof category}`, "invalid");
  }
  if (category.length > MAX_CATEGORY_LENGTH) {
    throw new RegistryError(`category name is ${category.length} characters; the limit is ${MAX_CATEGORY_LENGTH}`, "invalid");
  }
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(category)) {
    throw new RegistryError(`category name ${JSON.stringify(category)} contains control characters; remove them`, "invalid");
  }
  return category;
}

const ALIAS_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Aliases follow MLflow's rules: "latest" and "v<digits>" are reserved because they read like versions. */
export function checkAlias(alias: unknown): string {
  if (typeof alias !== "string" || !ALIAS_PATTERN.test(alias)) {
    throw new RegistryError(`alias ${JSON.stringify(alias)} is not valid: use a letter then letters, digits, _ or - (at most 64), e.g. "champion"`, "invalid");
  }
  if (alias.toLowerCase() === "latest" || /^v\d+$/i.test(alias)) {
    throw new RegistryError(`alias "${alias}" is reserved (it reads like a version); choose another name, e.g. "champion"`, "invalid");
  }
  return alias;
}
