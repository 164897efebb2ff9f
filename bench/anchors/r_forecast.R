# Anchor runner: R's forecast package on the walk-forward windows of the project's comparisons.
#
#   Rscript bench/anchors/r_forecast.R IN.csv OUT.csv H WINDOWS STEP SEASON MODELS [TIMINGS.csv] [--levels 80,95]
#
# IN: long CSV unique_id,ds,y (one row per period, gaps filled, oldest first per series).
# OUT: long CSV unique_id,cutoff,ds,model,y_hat (+ lo_L,hi_L per level with --levels) — for each
#   series, WINDOWS cutoffs STEP periods apart, the last one H periods before the end; each model
#   refit on the history up to the cutoff (inclusive) and forecasting the H periods after it.
# MODELS: comma list; "ets" = forecast::ets(ts(y, frequency = SEASON)) with R's defaults (R
#   ignores a seasonal period above 24 and fits non-seasonal models then, with a warning);
#   "arima" = forecast::auto.arima(ts(y, frequency = SEASON)) with R's defaults.
# --levels: prediction interval levels, R's own (forecast(fit, level = ...)).
# TIMINGS (optional): unique_id,cutoff,model,seconds,spec,cpu_seconds — fit + forecast time, the
#   model R chose, and the CPU time (user + system) of the same.
# A fit that fails on a series is reported on stderr and its rows are left out.
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
usage <- "usage: r_forecast.R IN.csv OUT.csv H WINDOWS STEP SEASON MODELS [TIMINGS.csv] [--levels 80,95]"
levels <- integer(0)
flag <- which(args == "--levels")
if (length(flag) > 0) {
  if (flag[1] == length(args)) stop(usage)
  levels <- as.integer(strsplit(args[flag[1] + 1], ",")[[1]])
  args <- args[-c(flag[1], flag[1] + 1)]
}
if (length(args) < 7) stop(usage)
input <- args[1]; output <- args[2]
h <- as.integer(args[3]); windows <- as.integer(args[4]); step <- as.integer(args[5])
season <- as.numeric(args[6]); models <- strsplit(args[7], ",")[[1]]
timings_path <- if (length(args) >= 8) args[8] else NA

data <- read.csv(input, colClasses = c("character", "character", "numeric"))
fitters <- list(
  ets = function(y) {
    fit <- suppressWarnings(ets(ts(y, frequency = season)))
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

# Written to a temporary file and renamed, so a killed run never leaves half a file.
write_atomic <- function(frame, path) {
  temporary <- paste0(path, ".tmp")
  write.csv(frame, temporary, row.names = FALSE, quote = TRUE, na = "")
  invisible(file.rename(temporary, path))
}

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
      result <- tryCatch({
        fitted <- fitters[[model]](y)
        fc <- if (length(levels) > 0) forecast(fitted$fit, h = h, level = levels) else forecast(fitted$fit, h = h, PI = FALSE)
        c(fitted, list(fc = fc))
      }, error = function(e) e)
      seconds <- proc.time()[["elapsed"]] - started
      cpu_seconds <- cpu_now() - cpu_started
      if (inherits(result, "error") || any(!is.finite(as.numeric(result$fc$mean)))) {
        reason <- if (inherits(result, "error")) conditionMessage(result) else "non-finite forecasts"
        message(sprintf("r_forecast: %s cutoff %s r_%s: %s", id, s$ds[train_n], model, reason))
        next
      }
      frame <- data.frame(unique_id = id, cutoff = s$ds[train_n], ds = s$ds[train_n + seq_len(h)],
                          model = paste0("r_", model), y_hat = as.numeric(result$fc$mean))
      for (i in seq_along(levels)) {
        frame[[paste0("lo_", levels[i])]] <- as.numeric(result$fc$lower[, i])
        frame[[paste0("hi_", levels[i])]] <- as.numeric(result$fc$upper[, i])
      }
      rows[[length(rows) + 1]] <- frame
      times[[length(times) + 1]] <- data.frame(unique_id = id, cutoff = s$ds[train_n], model = paste0("r_", model),
                                               seconds = seconds, spec = gsub("[,()]|ETS", "", result$spec),
                                               cpu_seconds = cpu_seconds)
    }
  }
}
if (length(rows) == 0) stop("no model could be fitted on any series and cutoff (see the messages above)")
write_atomic(do.call(rbind, rows), output)
if (!is.na(timings_path)) write_atomic(do.call(rbind, times), timings_path)
