#!/usr/bin/env Rscript
# R anchor runner: walk-forward forecasts of R's forecast package (auto.arima, ets).
#
# Same file contract as every runner in bench/anchors/ (see statsforecast_run.py):
#   input  long CSV unique_id,ds,y (oldest first, no gaps);
#   output long CSV unique_id,cutoff,ds,model,y_hat for each series, each of `windows` cutoffs
#          (the last h periods before the end, `step` apart, refit at each), each of h steps;
#   --timing PATH also writes JSON {model: {"seconds": wall, "cpu_seconds": user + system,
#          "fits": series x windows}} for fitting and forecasting.
#
#   Rscript bench/anchors/r_forecast.R --input in.csv --output out.csv --h 7 --windows 8 \
#       --step 7 --season 7 --models arima,ets [--timing t.json]
#
# Models: arima (forecast::auto.arima with its defaults), ets (forecast::ets). Needs R with the
# forecast package (Debian: r-cran-forecast).
suppressMessages(library(forecast))

args <- commandArgs(trailingOnly = TRUE)
option <- function(name, default = NULL) {
  at <- match(paste0("--", name), args)
  if (is.na(at)) {
    if (is.null(default)) stop(sprintf("r_forecast.R: --%s is required", name))
    return(default)
  }
  args[at + 1]
}
input <- option("input")
output <- option("output")
h <- as.integer(option("h"))
windows <- as.integer(option("windows"))
step <- as.integer(option("step"))
season <- as.integer(option("season"))
models <- strsplit(option("models"), ",")[[1]]
timing_path <- option("timing", "")

fitters <- list(
  arima = function(y) auto.arima(y),
  ets = function(y) ets(y)
)
unknown <- setdiff(models, names(fitters))
if (length(unknown) > 0) stop(sprintf("r_forecast.R: unknown model(s) %s; known: %s", paste(unknown, collapse = ", "), paste(names(fitters), collapse = ", ")))

data <- read.csv(input, colClasses = c(unique_id = "character", ds = "character", y = "numeric"))
ids <- unique(data$unique_id)
out <- list()
seconds <- setNames(numeric(length(models)), models)
cpu_seconds <- seconds
cpu <- function() { t <- proc.time(); t[["user.self"]] + t[["sys.self"]] }
for (id in ids) {
  part <- data[data$unique_id == id, ]
  n <- nrow(part)
  cutoffs <- n - h - (windows - 1 - seq_len(windows) + 1) * step
  for (cutoff in cutoffs) {
    # ets cannot take periods above 24: it fits without the seasonal part then (as R warns).
    history <- ts(part$y[seq_len(cutoff)], frequency = season)
    for (model in models) {
      started <- proc.time()[["elapsed"]]
      started_cpu <- cpu()
      fit <- suppressWarnings(fitters[[model]](history))
      mean <- as.numeric(forecast(fit, h = h)$mean)
      seconds[[model]] <- seconds[[model]] + proc.time()[["elapsed"]] - started
      cpu_seconds[[model]] <- cpu_seconds[[model]] + cpu() - started_cpu
      out[[length(out) + 1]] <- data.frame(unique_id = id, cutoff = part$ds[cutoff], ds = part$ds[cutoff + seq_len(h)],
                                           model = model, y_hat = mean)
    }
  }
}
write.csv(do.call(rbind, out), output, row.names = FALSE)
if (nzchar(timing_path)) {
  entries <- sprintf("\"%s\":{\"seconds\":%.6f,\"cpu_seconds\":%.6f,\"fits\":%d}", models, seconds[models],
                     cpu_seconds[models], length(ids) * windows)
  writeLines(paste0("{", paste(entries, collapse = ","), "}"), timing_path)
}
