export { LocalRegistry, DEFAULT_ALIAS, type ModelVersionInfo, type CommitInfo, type RegistryOptions } from "./local.js";
export { safeDirName, checkCategoryName, checkAlias, RegistryError, MAX_CATEGORY_LENGTH } from "./names.js";
export { servedRegistry, localRegistryRoot, parseVersionRef, type ServedRegistry } from "./served.js";
