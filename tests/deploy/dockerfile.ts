// Reads deploy/Dockerfile and its .dockerignore the way Docker does, for the parts this project
// uses, so tests can check the file (compose.test.ts) and run its steps as plain commands
// (container-steps.test.ts). Anything outside that subset is refused with the line, so a new
// kind of instruction cannot be silently misread.

export interface Instruction {
  /** Upper case: FROM, RUN, COPY, ... */
  keyword: string;
  /** --name=value flags before the arguments (--from=build, --mount=type=cache,...). */
  flags: Record<string, string>;
  /** The rest of the line, continuation lines joined. */
  args: string;
  /** 1-based line of the instruction's first line, for messages. */
  line: number;
}

export interface Stage {
  name: string;
  /** The image it starts from, build arguments substituted. */
  base: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARG lines before the first FROM, with their defaults. */
  args: Record<string, string>;
  stages: Stage[];
}

const KNOWN = new Set(["FROM", "ARG", "ENV", "WORKDIR", "COPY", "RUN", "USER", "EXPOSE", "HEALTHCHECK", "CMD"]);

export function parseDockerfile(text: string): Dockerfile {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let line = lines[i].trim();
    if (line === "" || line.startsWith("#")) continue;
    // A trailing backslash continues the instruction; comment lines inside it are dropped.
    while (line.endsWith("\\") && i + 1 < lines.length) {
      const next = lines[++i].trim();
      if (next.startsWith("#")) {
        line = `${line.slice(0, -1).trimEnd()} \\`;
        continue;
      }
      line = `${line.slice(0, -1).trimEnd()} ${next}`.trimEnd();
    }
    const match = /^([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`Dockerfile line ${first}: cannot read "${line}"`);
    const keyword = match[1].toUpperCase();
    if (!KNOWN.has(keyword)) throw new Error(`Dockerfile line ${first}: ${keyword} is not an instruction these tests know how to read`);
    let rest = match[2];
    const flags: Record<string, string> = {};
    for (let flag = /^--([a-z-]+)=(\S+)\s+/.exec(rest); flag; flag = /^--([a-z-]+)=(\S+)\s+/.exec(rest)) {
      flags[flag[1]] = flag[2];
      rest = rest.slice(flag[0].length);
    }
    const instruction: Instruction = { keyword, flags, args: rest.trim(), line: first };
    if (keyword === "FROM") {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!from) throw new Error(`Dockerfile line ${first}: FROM needs "image [AS name]"`);
      const base = from[1].replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string, b: string) => args[a ?? b] ?? "");
      stages.push({ name: from[2] ?? String(stages.length), base, instructions: [instruction] });
    } else if (stages.length === 0) {
      if (keyword !== "ARG") throw new Error(`Dockerfile line ${first}: only ARG may come before the first FROM`);
      const [name, value = ""] = instruction.args.split("=", 2);
      args[name] = value;
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { args, stages };
}

/** ENV's name=value pairs (values may be double-quoted). */
export function envPairs(args: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const m of args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)) pairs[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
  return pairs;
}

/** CMD and HEALTHCHECK CMD in exec form (a JSON array), the only form the Dockerfile uses. */
export function execForm(args: string): string[] {
  const parsed = JSON.parse(args.replace(/^CMD\s+/, "")) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === "string")) throw new Error(`not an exec-form command: ${args}`);
  return parsed;
}

/** COPY's sources and destination (no spaces in paths: the Dockerfile uses none). */
export function copyArgs(args: string): { sources: string[]; dest: string } {
  const parts = args.split(/\s+/);
  if (parts.length < 2) throw new Error(`COPY needs a source and a destination: ${args}`);
  return { sources: parts.slice(0, -1), dest: parts[parts.length - 1] };
}

/**
 * A .dockerignore as a predicate on context-relative paths ("a/b/c"). Docker's rules for the
 * patterns used here: each is anchored at the context root, `*` and `?` stay inside one path
 * segment, `**` spans any number of segments, and a pattern that matches a folder excludes
 * everything below it. Exceptions (`!pattern`) are refused: nothing here would read them.
 */
export function dockerignore(text: string): (path: string) => boolean {
  const patterns = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((pattern) => {
      if (pattern.startsWith("!")) throw new Error(`.dockerignore exception "${pattern}" is not supported by tests/deploy/dockerfile.ts`);
      const body = pattern
        .replace(/^\/+|\/+$/g, "")
        .split("/")
        .map((segment) =>
          segment === "**"
            ? "(?:.*/)?"
            : `${segment
                .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                .replace(/\*/g, "[^/]*")
                .replace(/\?/g, "[^/]")}/`,
        )
        .join("");
      // Drop the last segment's slash: the pattern matches the path itself or anything below it.
      return new RegExp(`^${body.replace(/\/$/, "")}(?:/.*)?$`);
    });
  return (path) => patterns.some((pattern) => pattern.test(path));
}
