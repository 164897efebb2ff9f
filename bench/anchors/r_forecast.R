# Anchor runner: R's forecast package on the walk-forward windows of the project's comparisons.
#
#   Rscript bench/anchors/r_forecast.R IN.csv OUT.csv H WINDOWS STEP SEASON MODELS [TIMINGS.csv]
#
# IN: long CSV unique_id,ds,y (one row per period, gaps filled, oldest first per series).
# OUT: long CSV unique_id,cutoff,ds,model,y_hat — for each series, WINDOWS cutoffs STEP periods
#   apart, the last one H periods before the end; each model refit on the history up to the
#   cutoff (inclusive) and forecasting the H periods after it.
# MODELS: comma list; "ets" = forecast::ets(ts(y, frequency = SEASON)) with R's defaults,
#   "arima" = forecast::auto.arima(ts(y, frequency = SEASON)) with R's defaults.
# TIMINGS (optional): unique_id,cutoff,model,seconds,spec,cpu_seconds — fit time, the model R
#   chose, and the CPU time (user + system) of the same.
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 7) stop("usage: r_forecast.R IN.csv OUT.csv H WINDOWS STEP SEASON MODELS [TIMINGS.csv]")
input <- args[1]; output <- args[2]
h <- as.integer(args[3]); windows <- as.integer(args[4]); step <- as.integer(args[5])
season <- as.numeric(args[6]); models <- strsplit(args[7], ",")[[1]]
timings_path <- if (length(args) >= 8) args[8] else NA

data <- read.csv(input, colClasses = c("character", "character", "numeric"))
fitters <- list(
  ets = function(y) {
    fit <- ets(ts(y, frequency = season))
    list(fit = fit, spec = fit$method)
  },
  arima = function(y) {
    fit <- auto.arima(ts(y, frequency = season))
    list(fit = fit, spec = gsub(" ", "", arimaorder_string(fit)))
  }
)
arimaorder_string <- function(fit) forecast:::arima.string(fit, padding = FALSE)
cpu_now <- function() { t <- proc.time(); t[["user.self"]] + t[["sys.self"]] }
unknown <- setdiff(models, names(fitters))
if (length(unknown) > 0) stop(paste("unknown model(s):", paste(unknown, collapse = ", "), "; known:", paste(names(fitters), collapse = ", ")))

rows <- list(); times <- list()
for (id in unique(data$unique_id)) {
  s <- data[data$unique_id == id, ]
  s <- s[order(s$ds), ]
  n <- nrow(s)
  for (w in seq_len(windows)) {
    train_n <- n - h - step * (windows - w)
    if (train_n < 1) next
    y <- s$y[1:train_n]
    for (model in models) {
      started <- proc.time()[["elapsed"]]
      cpu_started <- cpu_now()
      result <- fitters[[model]](y)
      seconds <- proc.time()[["elapsed"]] - started
      cpu_seconds <- cpu_now() - cpu_started
      mean <- as.numeric(forecast(result$fit, h = h, PI = FALSE)$mean)
      rows[[length(rows) + 1]] <- data.frame(unique_id = id, cutoff = s$ds[train_n], ds = s$ds[train_n + seq_len(h)],
                                             model = paste0("r_", model), y_hat = mean)
      times[[length(times) + 1]] <- data.frame(unique_id = id, cutoff = s$ds[train_n], model = paste0("r_", model),
                                               seconds = seconds, spec = gsub("[,()]|ETS", "", result$spec),
                                               cpu_seconds = cpu_seconds)
    }
  }
}
write.csv(do.call(rbind, rows), output, row.names = FALSE, quote = FALSE)
if (!is.na(timings_path)) write.csv(do.call(rbind, times), timings_path, row.names = FALSE, quote = FALSE)
