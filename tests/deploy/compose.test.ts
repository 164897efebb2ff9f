// Docker is not available where the tests run, so the deploy files are checked as files: the
// compose file parses and wires the four services together, the Dockerfile builds in stages and
// runs unprivileged, and Prometheus, Grafana and the config agree on names and addresses.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { isFinished } from "../../src/server/jobs/job-manager.js";
import { jobSchema } from "../../src/server/routes/job-schemas.js";
import { parseDockerfile, type Stage } from "./dockerfile.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const deploy = join(repo, "deploy");
const read = (path: string) => readFileSync(join(repo, path), "utf8");
/** Every series name the server registers (the files that create prom-client metrics). */
const METRIC_FILES = ["src/server/metrics.ts", "src/server/registry-health.ts", "src/server/monitoring/monitor-metrics.ts", "src/server/queue-metrics.ts"];
const exportedMetrics = () => new Set(METRIC_FILES.flatMap((file) => [...read(file).matchAll(/name: "(salescast_[a-z_]+)"/g)].map((m) => m[1])));

// The parts of the compose format this test reads.
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string | string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parseYaml(read("deploy/docker-compose.yml")) as Compose;
const services = compose.services;
const commandText = (s: Service) => (Array.isArray(s.command) ? s.command.join(" ") : (s.command ?? ""));

describe("deploy/docker-compose.yml", () => {
  it("has exactly the api, mlflow, prometheus, grafana, redis and worker services", () => {
    expect(Object.keys(services).sort()).toEqual(["api", "grafana", "mlflow", "prometheus", "redis", "worker"]);
  });

  it("publishes each service on its documented port", () => {
    expect(services.api.ports).toContain("8000:8000");
    expect(services.mlflow.ports).toContain("5005:5005");
    expect(services.prometheus.ports).toContain("9090:9090");
    expect(services.grafana.ports).toContain("3000:3000");
  });

  it("builds the api from deploy/Dockerfile with the repository as context, in the docker profile", () => {
    const api = services.api;
    expect(api.build?.context).toBe("..");
    expect(existsSync(resolve(deploy, api.build!.context, api.build!.dockerfile))).toBe(true);
    expect(api.environment).toMatchObject({ SALESCAST_PROFILE: "docker", MLFLOW_ENV: "docker" });
    // The docker profile listens on 0.0.0.0, where the server refuses to start without an API key.
    expect(api.environment?.SALESCAST_API_KEY).toMatch(/^\$\{SALESCAST_API_KEY:\?/);
    expect(commandText(api)).toMatch(/salescast\.js serve$/);
    expect(api.depends_on).toEqual({ mlflow: { condition: "service_healthy" } });
  });

  it("runs a pinned MLflow with a SQLite backend, proxied artifacts on a volume, on port 5005", () => {
    const mlflow = services.mlflow;
    const version = /MLFLOW_VERSION="([^"]+)"/.exec(read("scripts/test-mlflow.sh"))![1];
    expect(mlflow.image).toBe(`ghcr.io/mlflow/mlflow:v${version}`); // the version the suite tests
    const command = commandText(mlflow);
    expect(command).toMatch(/--backend-store-uri sqlite:\/\/\/\/mlflow\//);
    expect(command).toMatch(/--serve-artifacts --artifacts-destination \/mlflow\//);
    expect(command).toMatch(/--port 5005/);
    expect(command).toMatch(/--host 0\.0\.0\.0/);
    // The api calls it as http://mlflow:5005: MLflow's host check must let that name in.
    expect(command).toMatch(/--allowed-hosts "[^"]*\bmlflow:5005\b/);
    expect(mlflow.volumes).toContain("mlflow-data:/mlflow");
  });

  it("gives every image a fixed version and every long-running service a health check", () => {
    for (const [name, service] of Object.entries(services)) {
      // api and worker run the image the api service builds (salescast:local).
      if (service.image && name !== "api" && name !== "worker") expect(service.image, name).toMatch(/:[^:]*\d[^:]*$/);
      expect(service.image ?? "", name).not.toMatch(/:latest$/);
      expect(service.healthcheck?.test?.length, `${name} healthcheck`).toBeGreaterThan(1);
    }
    expect(services.api.healthcheck!.test.join(" ")).toContain("/api/health");
    expect(services.mlflow.healthcheck!.test.join(" ")).toContain("/health");
  });

  it("declares every named volume it mounts, and every file it mounts exists", () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(":")[0];
        if (source.startsWith(".")) {
          if (source !== "../data") expect(existsSync(resolve(deploy, source)), `${name}: ${source}`).toBe(true);
        } else {
          expect(compose.volumes, `${name}: volume ${source}`).toHaveProperty(source);
        }
      }
    }
  });

  it("points Prometheus at the api's /metrics and Grafana at Prometheus", () => {
    const prometheus = parseYaml(read("deploy/prometheus.yml")) as {
      scrape_configs: Array<{ job_name: string; metrics_path?: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const api = prometheus.scrape_configs.find((c) => c.static_configs.some((s) => s.targets.includes("api:8000")));
    expect(api?.metrics_path ?? "/metrics").toBe("/metrics");
    expect(services.prometheus.volumes).toContain("./prometheus.yml:/etc/prometheus/prometheus.yml:ro");

    const datasources = parseYaml(read("deploy/grafana/provisioning/datasources/prometheus.yml")) as {
      datasources: Array<{ uid: string; type: string; url: string }>;
    };
    expect(datasources.datasources[0]).toMatchObject({ type: "prometheus", url: "http://prometheus:9090" });
    const providers = parseYaml(read("deploy/grafana/provisioning/dashboards/salescast.yml")) as { providers: Array<{ options: { path: string } }> };
    expect(services.grafana.volumes).toContain(`./grafana/dashboards:${providers.providers[0].options.path}:ro`);
  });

  it("runs Redis 7 as the queue requires: append-only file on a volume, noeviction, not published", () => {
    const redis = services.redis;
    expect(redis.image).toMatch(/^redis:7(\.|$)/);
    const command = commandText(redis);
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(redis.volumes).toContain("redis-data:/data"); // the official image's working folder, where the AOF goes
    expect(redis.ports).toBeUndefined(); // a Redis without a password stays inside the stack
    expect(redis.healthcheck!.test.join(" ")).toMatch(/redis-cli ping/);
  });

  it("runs a scalable salescast worker on the api's image, with queue.url, sales file and registry wired as the api's", () => {
    const worker = services.worker as Service & { deploy?: { replicas?: number }; stop_grace_period?: string; container_name?: string };
    const api = services.api;
    expect(worker.image).toBe(api.image);
    expect(worker.build).toBeUndefined(); // built once, by the api service
    expect(commandText(worker)).toMatch(/salescast\.js worker$/);
    expect(worker.container_name).toBeUndefined(); // a fixed name would stop --scale worker=N
    expect(worker.ports).toBeUndefined(); // nor would a published port
    expect(worker.deploy?.replicas).toBeGreaterThan(1);
    // queue.url by the environment (SALESCAST__SECTION__KEY), naming the redis service, for the api too.
    const queueUrl = new URL(worker.environment!.SALESCAST__QUEUE__URL);
    expect(queueUrl.protocol).toBe("redis:");
    expect(services).toHaveProperty(queueUrl.hostname);
    expect(api.environment?.SALESCAST__QUEUE__URL).toBe(worker.environment!.SALESCAST__QUEUE__URL);
    // The same profile and MLflow, and the same files at the same paths (a job carries absolute paths).
    for (const key of ["SALESCAST_PROFILE", "MLFLOW_ENV", "MLFLOW_TRACKING_URI"]) expect(worker.environment?.[key], key).toBe(api.environment?.[key]);
    expect([...(worker.volumes ?? [])].sort()).toEqual([...(api.volumes ?? [])].sort());
    expect(worker.depends_on).toMatchObject({ redis: { condition: "service_healthy" }, mlflow: { condition: "service_healthy" } });
    // A stopped worker finishes its shard first: Compose's default 10 s before SIGKILL is too short.
    expect(worker.stop_grace_period).toMatch(/^\d+m$/);
  });

  it("agrees with the config's docker profile on the MLflow address", () => {
    const config = parseYaml(read("config/config.yaml")) as { profiles: { docker: { tracking: { uri: string }; app: { host: string } } } };
    const uri = new URL(config.profiles.docker.tracking.uri);
    expect(services).toHaveProperty(uri.hostname);
    expect(services[uri.hostname].ports?.some((p) => p.endsWith(`:${uri.port}`))).toBe(true);
    expect(config.profiles.docker.app.host).toBe("0.0.0.0"); // reachable from the other containers
  });
});

describe("deploy/grafana/dashboards/salescast.json", () => {
  const dashboard = JSON.parse(read("deploy/grafana/dashboards/salescast.json")) as {
    uid: string;
    panels: Array<{ title: string; datasource: { uid: string }; targets: Array<{ expr: string }> }>;
  };
  const datasourceUid = (parseYaml(read("deploy/grafana/provisioning/datasources/prometheus.yml")) as { datasources: Array<{ uid: string }> }).datasources[0]
    .uid;

  it("has the request rate, latency, predictions per category and training jobs panels", () => {
    const titles = dashboard.panels.map((p) => p.title);
    for (const title of ["Request rate", "Latency", "Predictions per category", "Training jobs"]) expect(titles).toContain(title);
  });

  it("has the queue's panels: jobs per state (waiting, active, failed) and job durations", () => {
    const exprs = (title: string) => dashboard.panels.find((p) => p.title === title)?.targets.map((t) => t.expr) ?? [];
    const states = exprs("Queue jobs").join(" ");
    expect(states).toMatch(/salescast_queue_jobs/);
    for (const state of ["waiting", "active", "failed"]) expect(states).toMatch(new RegExp(`state=~"[^"]*\\b${state}\\b`));
    expect(exprs("Queue job durations").join(" ")).toMatch(/histogram_quantile\(0\.95, .*salescast_queue_job_duration_seconds_bucket/);
  });

  it("queries only metrics the server exports, through the provisioned data source", () => {
    const exported = exportedMetrics();
    expect(exported.size).toBeGreaterThan(3);
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid, panel.title).toBe(datasourceUid);
      for (const target of panel.targets) {
        const used = [...target.expr.matchAll(/\b(salescast_[a-z_]+?)(?:_bucket|_sum|_count)?\b/g)].map((m) => m[1]);
        expect(used.length, panel.title).toBeGreaterThan(0);
        for (const name of used) expect(exported, `${panel.title}: ${name}`).toContain(name);
      }
    }
  });

  it("'Training jobs finished' counts only the finished states (issue 15: it also plotted queued and running)", () => {
    const panel = dashboard.panels.find((p) => p.title === "Training jobs finished")!;
    const selectors = panel.targets.flatMap((t) => [...t.expr.matchAll(/salescast_training_jobs_total(\{[^}]*\})?/g)]);
    expect(selectors.length).toBeGreaterThan(0);
    const states = jobSchema.properties.state.enum;
    for (const [, labels] of selectors) {
      // PromQL anchors a regex matcher at both ends.
      const matcher = /state=~"([^"]+)"/.exec(labels ?? "")?.[1];
      expect(matcher, 'the selector needs a state=~"…" matcher').toBeDefined();
      const pattern = new RegExp(`^(?:${matcher})$`);
      expect(states.filter((state) => pattern.test(state))).toEqual(states.filter((state) => isFinished(state)));
    }
  });
});

describe("deploy/prometheus-rules.yml", () => {
  const rules = (
    parseYaml(read("deploy/prometheus-rules.yml")) as { groups: Array<{ rules: Array<{ alert: string; expr: string; for: string }> }> }
  ).groups.flatMap((g) => g.rules);

  it("is loaded by Prometheus in the stack", () => {
    const prometheus = parseYaml(read("deploy/prometheus.yml")) as { rule_files: string[] };
    const services = (parseYaml(read("deploy/docker-compose.yml")) as { services: Record<string, { volumes: string[] }> }).services;
    for (const file of prometheus.rule_files) expect(services.prometheus.volumes).toContain(`./prometheus-rules.yml:${file}:ro`);
  });

  it("alerts on live forecast error above validation by a factor, a registry down and a version fallback, on exported series only", () => {
    const exported = exportedMetrics();
    const quality = rules.find((r) => r.alert === "SalescastForecastsWorseThanValidation")!;
    expect(quality.expr).toMatch(/salescast_live_mase > [\d.]+ \* salescast_validation_mase/);
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(["SalescastRegistryUnreachable", "SalescastModelFallback"]));
    for (const rule of rules) {
      const used = [...rule.expr.matchAll(/\b(salescast_[a-z_]+)\b/g)].map((m) => m[1]);
      expect(used.length, rule.alert).toBeGreaterThan(0);
      for (const name of used) expect(exported, `${rule.alert}: ${name}`).toContain(name);
    }
  });
});

describe("deploy/Dockerfile", () => {
  // Read by the same reader the container-steps test runs it with (dockerfile.ts).
  const { stages } = parseDockerfile(read("deploy/Dockerfile"));
  const lines = (stage: Stage) =>
    stage.instructions.map(
      (i) =>
        `${i.keyword} ${Object.entries(i.flags)
          .map(([k, v]) => `--${k}=${v} `)
          .join("")}${i.args}`,
    );
  const final = lines(stages[stages.length - 1]);

  it("builds in stages and ships only production dependencies", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const all = stages.flatMap(lines);
    expect(all.some((l) => /^RUN (--\S+ )*npm ci\b.*--omit=dev/.test(l))).toBe(true);
    // dist/ is built by npm ci itself in the build stage (the package's prepare script).
    expect(lines(stages[0]).some((l) => /^RUN (--\S+ )*npm ci\b/.test(l) && !/--ignore-scripts/.test(l))).toBe(true);
    // The final stage installs nothing itself and never copies the sources or the dev tree.
    expect(final.some((l) => /^RUN (--\S+ )*npm (ci|install)\b/.test(l))).toBe(false);
    expect(final.some((l) => /^COPY (\.|src) /.test(l))).toBe(false);
    expect(final.some((l) => /^COPY --from=prod-deps \/app\/node_modules/.test(l))).toBe(true);
    expect(final.some((l) => /^COPY --from=build \/app\/dist /.test(l))).toBe(true);
  });

  it("runs as a non-root user, with a health check on /api/health and salescast serve", () => {
    const users = final.filter((l) => /^USER\s/i.test(l)).map((l) => l.split(/\s+/)[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
    const userAt = final.findIndex((l) => /^USER\s/i.test(l));
    expect(final.findIndex((l) => /^CMD\s/i.test(l))).toBeGreaterThan(userAt);
    expect(final.find((l) => /^HEALTHCHECK\s/i.test(l))).toMatch(/\/api\/health/);
    expect(final.find((l) => /^CMD\s/i.test(l))).toMatch(/"serve"/);
    expect(final.find((l) => /^EXPOSE\s/i.test(l))).toMatch(/\b8000\b/);
    expect(final.some((l) => /SALESCAST_PROFILE=docker/.test(l))).toBe(true);
  });

  it("keeps local files out of the build context", () => {
    const ignored = read("deploy/Dockerfile.dockerignore")
      .split("\n")
      .map((l) => l.trim());
    for (const entry of ["node_modules", "dist", "data", "checkpoints", "mlruns", ".git", "native/build"]) expect(ignored).toContain(entry);
  });
});
