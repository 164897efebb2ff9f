// The local registry's public surface: version folders under one root (local.ts), the index
// that maps exact category names to folders (registry-index.ts), and the lock around it (file-lock.ts).
export { LocalRegistry, type CommitInfo, type RegistryOptions } from "./local.js";
export { withFileLock, type LockOptions } from "./file-lock.js";
