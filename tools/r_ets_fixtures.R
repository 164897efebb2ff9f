# Writes tests/fixtures/ets/*.json: R's forecast::ets on seeded synthetic series, the reference
# tests/models/ets.test.ts checks salescast's ETS against (no R needed when the tests run).
#
#   Rscript tools/r_ets_fixtures.R [out_dir]      (default tests/fixtures/ets)
#
# Each file holds one series (y, period), R's automatic choice (model, parameters, initial
# states, loglik, AIC, AICc, BIC, sigma2, the mean forecast and the point forecast for h = 14)
# and, under "models", the same for every model of the family that can be fitted to it, so the
# recursions can be compared model type by model type. Needs only R and the forecast package
# (JSON is written by hand: no other package).
suppressMessages(library(forecast))

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else "tests/fixtures/ets"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
H <- 14

num <- function(x) {
  if (is.null(x) || length(x) == 0) return("null")
  s <- ifelse(is.finite(x), sprintf("%.17g", x), "null")
  if (length(x) == 1) s else paste0("[", paste(s, collapse = ", "), "]")
}
vec <- function(x) paste0("[", paste(ifelse(is.finite(x), sprintf("%.17g", x), "null"), collapse = ", "), "]")
str <- function(x) paste0('"', x, '"')

# The ETS point forecast from the last states (level + damped growth, plus or times the season
# of that period), written here in R so the fixture does not depend on which mean forecast()
# reports (class 3 models report the distribution's mean).
point_forecast <- function(fit, h) {
  comp <- fit$components
  st <- fit$states[nrow(fit$states), ]
  l <- st[1]
  b <- if (comp[2] != "N") st[2] else 0
  phi <- if (comp[4] == "TRUE") fit$par["phi"] else 1
  m <- fit$m
  s <- if (comp[3] != "N") st[(2 + (comp[2] != "N")):length(st)] else NULL
  out <- numeric(h)
  for (k in 1:h) {
    f <- l + sum(phi^(1:k)) * b
    if (comp[3] == "A") f <- f + s[m - ((k - 1) %% m)]
    if (comp[3] == "M") f <- f * s[m - ((k - 1) %% m)]
    out[k] <- f
  }
  out
}

describe <- function(fit) {
  comp <- fit$components
  par <- fit$par
  get <- function(name) if (name %in% names(par)) unname(par[name]) else NULL
  paste0(
    '{"method": ', str(fit$method),
    ', "components": {"error": ', str(comp[1]), ', "trend": ', str(comp[2]),
    ', "season": ', str(comp[3]), ', "damped": ', tolower(comp[4]), '}',
    ', "m": ', fit$m,
    ', "alpha": ', num(get("alpha")), ', "beta": ', num(get("beta")),
    ', "gamma": ', num(get("gamma")), ', "phi": ', num(get("phi")),
    ', "initial_states": ', vec(unname(fit$initstate)),
    ', "final_states": ', vec(unname(fit$states[nrow(fit$states), ])),
    ', "loglik": ', num(fit$loglik), ', "aic": ', num(fit$aic), ', "aicc": ', num(fit$aicc),
    ', "bic": ', num(fit$bic), ', "sigma2": ', num(fit$sigma2),
    ', "forecast_mean": ', vec(as.numeric(forecast(fit, h = H, PI = FALSE)$mean)),
    ', "point_forecast": ', vec(point_forecast(fit, H)), '}'
  )
}

all_models <- function(y) {
  out <- character(0)
  pos <- min(y) > 0
  for (e in c("A", "M")) for (t in c("N", "A")) for (s in c("N", "A", "M")) for (d in c(FALSE, TRUE)) {
    if (t == "N" && d) next
    if (e == "A" && s == "M") next
    if (!pos && e == "M") next
    if (s != "N" && frequency(y) == 1) next
    fit <- tryCatch(ets(y, model = paste0(e, t, s), damped = d), error = function(err) NULL)
    if (is.null(fit) || is.null(fit$aicc)) next
    out <- c(out, describe(fit))
  }
  paste0("[", paste(out, collapse = ",\n  "), "]")
}

write_fixture <- function(name, y, period, note, every_model = TRUE) {
  yt <- ts(y, frequency = period)
  fit <- ets(yt)
  kind <- if (is.null(fit$aicc)) "holt_winters" else "ets"
  json <- paste0(
    '{"made_by": "tools/r_ets_fixtures.R", "r_version": ', str(paste(R.version$major, R.version$minor, sep = ".")),
    ', "forecast_version": ', str(as.character(packageVersion("forecast"))),
    ',\n "name": ', str(name), ', "note": ', str(note), ', "period": ', period, ', "h": ', H,
    ',\n "y": ', vec(y),
    ',\n "kind": ', str(kind),
    ',\n "auto": ', if (kind == "ets") describe(fit) else paste0(
      '{"method": ', str(fit$method), ', "point_forecast": ', vec(point_forecast(fit, H)),
      ', "forecast_mean": ', vec(as.numeric(forecast(fit, h = H, PI = FALSE)$mean)), '}'),
    ',\n "models": ', if (every_model && kind == "ets") all_models(yt) else "[]",
    "}\n"
  )
  writeLines(json, file.path(out_dir, paste0(name, ".json")))
  cat(sprintf("%-22s n=%3d period=%2d  %s\n", name, length(y), period, fit$method))
}

weekly <- c(1.25, 1.10, 0.95, 0.85, 0.75, 1.00, 1.10)
set.seed(101); n <- 140
write_fixture("level", 100 + cumsum(rnorm(n, 0, 1)) * 0.3 + rnorm(n, 0, 4), 7, "level only, noise")
set.seed(102); n <- 120
write_fixture("trend", 50 + 0.8 * (1:n) + rnorm(n, 0, 3), 7, "linear trend")
set.seed(103); n <- 120
g <- 3 * 0.95^(1:n)
write_fixture("damped_trend", 40 + cumsum(g) + cumsum(rnorm(n, 0, 0.4)) + rnorm(n, 0, 0.8), 7, "growth dying out")
set.seed(104); n <- 126
write_fixture("additive_weekly", 200 + 25 * (weekly - 1) * 4 + rnorm(n, 0, 5) + 0 * (1:n), 7, "additive weekly season")
set.seed(105); n <- 140
write_fixture("multiplicative_weekly", (80 + 0.5 * (1:n)) * rep(weekly, length.out = n) * exp(rnorm(n, 0, 0.05)), 7, "trend times weekly season")
set.seed(106); n <- 112
write_fixture("seasonal_level_mult", 30 * rep(weekly, length.out = n) * exp(rnorm(n, 0, 0.08) + cumsum(rnorm(n, 0, 0.02))), 7, "wandering level times season")
set.seed(107); n <- 98
write_fixture("with_zeros", rpois(n, 2 * rep(weekly, length.out = n)), 7, "counts with zeros")
set.seed(108); n <- 84
write_fixture("negative", cumsum(rnorm(n, 0, 1)) + 3 * (rep(weekly, length.out = n) - 1) * 5, 7, "crosses zero, weekly season")
set.seed(109)
write_fixture("short_12", 20 + rnorm(12, 0, 2) + 0.3 * (1:12), 7, "12 values")
set.seed(110)
write_fixture("short_18", 50 * rep(weekly, length.out = 18) * exp(rnorm(18, 0, 0.05)), 7, "18 values, seasonal")
set.seed(111); n <- 96
monthly <- 1 + 0.3 * sin(2 * pi * (1:12) / 12) + 0.1 * cos(4 * pi * (1:12) / 12)
write_fixture("monthly_12", (500 + 2 * (1:n)) * rep(monthly, length.out = n) * exp(rnorm(n, 0, 0.04)), 12, "monthly-like period 12")
set.seed(112); n <- 60
write_fixture("monthly_additive", 100 + 10 * sin(2 * pi * (1:n) / 12) + cumsum(rnorm(n, 0, 1.5)), 12, "additive period 12, random-walk level")
set.seed(113)
write_fixture("tiny_6", c(10, 12, 11, 13, 14, 13.5), 7, "6 values: R's Holt-Winters fallback", every_model = FALSE)
set.seed(114); n <- 100
write_fixture("nonseasonal_trend_noise", 10 + 0.05 * (1:n) + rnorm(n, 0, 1), 1, "period 1")
