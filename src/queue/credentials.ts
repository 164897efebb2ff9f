// The MLflow password a job leaves behind (payload.ts sends tracking.uri with `***` for it), taken
// back on the worker from the worker's own settings: jobs sit in Redis, and whoever can read
// Redis must not learn the tracking server's password from them.
//
// A job whose tracking.uri had a password runs with, in order:
// 1. the worker's own tracking.uri, when it names the same server and user (its config.yaml or
//    SALESCAST__TRACKING__URI): its password is used;
// 2. MLflow's own variables on the worker (MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and
//    MLFLOW_TRACKING_PASSWORD), which the MLflow client prefers to a url's anyway;
// 3. nothing: the job is refused for good, saying how to give the worker its credentials.
import type { Config } from "../config/schema.js";
import { redactedUrl } from "./connection.js";
import { JobRefusedError } from "./errors.js";

const REDACTED = "***";

export function withWorkerCredentials(jobConfig: Config, ownConfig: Config, jobName: string, env: NodeJS.ProcessEnv = process.env): Config {
  const uri = jobConfig.tracking.uri;
  if (!URL.canParse(uri) || decodeURIComponent(new URL(uri).password) !== REDACTED) return jobConfig;
  const own = ownConfig.tracking.uri;
  if (URL.canParse(own) && new URL(own).password && redactedUrl(own) === redactedUrl(uri)) {
    return { ...jobConfig, tracking: { ...jobConfig.tracking, uri: own } };
  }
  if (env.MLFLOW_TRACKING_TOKEN || (env.MLFLOW_TRACKING_USERNAME && env.MLFLOW_TRACKING_PASSWORD !== undefined)) {
    const bare = new URL(uri);
    bare.username = "";
    bare.password = "";
    return { ...jobConfig, tracking: { ...jobConfig.tracking, uri: bare.toString() } };
  }
  throw new JobRefusedError(
    `job ${jobName} writes its runs to ${uri}, and the password stays with the submitter (jobs never carry it): ` +
      `give this worker its own, as tracking.uri with the password (its config.yaml, or SALESCAST__TRACKING__URI=${uri.replace(REDACTED, "PASSWORD")}), ` +
      "or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN) in its environment",
  );
}
