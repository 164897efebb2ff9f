#!/usr/bin/env Rscript
# Writes the R reference fixtures the statistical-family tests read, on the same seeded
# series tools/statsforecast_fixtures.py wrote (tests/fixtures/<family>/series.csv):
#
#   Rscript tools/r_fixtures.R [theta|intermittent|mstl|all]
#
# Output: tests/fixtures/<family>/r.json, {"format_version": 1, "generator", "versions",
# "cases": [...]}; written by hand (no jsonlite needed), numbers with 17 significant digits.
suppressPackageStartupMessages(library(forecast))

args <- commandArgs(trailingOnly = TRUE)
family_arg <- if (length(args) == 0) "all" else args[1]
root <- normalizePath(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), ".."))

num <- function(x) {
  x <- as.numeric(x)
  paste0("[", paste(ifelse(is.na(x), "null", formatC(x, digits = 17, format = "g")), collapse = ", "), "]")
}
str_json <- function(x) paste0("\"", x, "\"")
obj <- function(fields) paste0("{", paste(paste0(str_json(names(fields)), ": ", unlist(fields)), collapse = ", "), "}")

read_series <- function(family) {
  s <- read.csv(file.path(root, "tests", "fixtures", family, "series.csv"), stringsAsFactors = FALSE)
  lapply(split(s, factor(s$name, levels = unique(s$name))), function(d) list(name = d$name[1], period = d$period[1], y = d$y[order(d$t)]))
}

write_fixture <- function(family, cases) {
  versions <- obj(list(R = str_json(paste(R.version$major, R.version$minor, sep = ".")),
                       forecast = str_json(as.character(packageVersion("forecast")))))
  text <- paste0("{\"format_version\": 1, \"generator\": \"tools/r_fixtures.R\", \"versions\": ", versions,
                 ",\n \"cases\": [\n  ", paste(cases, collapse = ",\n  "), "\n ]\n}\n")
  path <- file.path(root, "tests", "fixtures", family, "r.json")
  writeLines(text, paste0(path, ".tmp"), sep = "")
  file.rename(paste0(path, ".tmp"), path)
  cat("wrote", path, "(", length(cases), "cases )\n")
}

theta_fixture <- function() {
  cases <- lapply(read_series("theta"), function(s) {
    h <- 12
    x <- ts(s$y, frequency = s$period)
    fc <- suppressWarnings(thetaf(x, h = h))
    fields <- list(name = str_json(s$name), period = s$period, h = h, mean = num(fc$mean))
    m <- s$period
    if (m >= 4 && length(s$y) > 2 * m && all(s$y > 0)) {
      fields$multiplicative_figure <- num(decompose(x, type = "multiplicative")$figure)
    }
    if (m >= 4 && length(s$y) > 2 * m) {
      fields$additive_figure <- num(decompose(x, type = "additive")$figure)
      r <- as.numeric(acf(x, lag.max = m, plot = FALSE)$acf)[-1]
      fields$seasonality_statistic <- abs(r[m]) / sqrt((1 + 2 * sum(r[-m]^2)) / length(s$y))
    }
    obj(fields)
  })
  write_fixture("theta", cases)
}

intermittent_fixture <- function() {
  cases <- lapply(read_series("intermittent"), function(s) {
    h <- 6
    x <- ts(s$y)
    fields <- list(name = str_json(s$name), h = h,
                   croston = num(croston(x, h = h, alpha = 0.1)$mean),
                   croston_alpha_0.2 = num(croston(x, h = h, alpha = 0.2)$mean))
    obj(fields)
  })
  write_fixture("intermittent", cases)
}

mstl_periods <- list(daily_7_365 = c(7, 365), weekly_52 = 52, daily_7_only = 7, hourly_like_12_24 = c(12, 24))

mstl_fixture <- function() {
  cases <- lapply(read_series("mstl"), function(s) {
    periods <- mstl_periods[[s$name]]
    h <- 12
    x <- msts(s$y, seasonal.periods = periods)
    fit <- mstl(x)
    components <- lapply(colnames(fit)[-1], function(col) paste0(str_json(col), ": ", num(fit[, col])))
    first <- ts(s$y, frequency = periods[1])
    plain <- stl(first, s.window = 11)$time.series
    robust <- stl(first, s.window = 11, robust = TRUE)
    fields <- list(name = str_json(s$name), periods = num(periods), h = h,
                   mstl = paste0("{", paste(components, collapse = ", "), "}"),
                   stl_seasonal = num(plain[, "seasonal"]), stl_trend = num(plain[, "trend"]),
                   stl_robust_seasonal = num(robust$time.series[, "seasonal"]),
                   stl_robust_trend = num(robust$time.series[, "trend"]),
                   stl_robust_weights = num(robust$weights),
                   stl_robust3_seasonal = num(stl(first, s.window = 11, robust = TRUE, outer = 3)$time.series[, "seasonal"]),
                   naive_forecast = num(forecast(fit, method = "naive", h = h)$mean))
    obj(fields)
  })
  write_fixture("mstl", cases)
}

families <- list(theta = theta_fixture, intermittent = intermittent_fixture, mstl = mstl_fixture)
for (name in names(families)) {
  if (family_arg %in% c(name, "all")) families[[name]]()
}
