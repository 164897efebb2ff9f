#!/usr/bin/env Rscript
# Writes tests/fixtures/arima/*.json: seeded synthetic series and what R's forecast package
# makes of them (auto.arima's chosen model, its coefficients, log-likelihood, AICc and
# forecasts; ndiffs' KPSS statistics; nsdiffs' seasonal strength; and a few models of given
# orders fitted by Arima). tests/models/arima.test.ts compares src/models/arima with them.
#
#   Rscript tools/r_arima_fixtures.R          (from the repository root; needs R >= 4 with
#                                              the forecast and urca packages, e.g. Debian's
#                                              r-cran-forecast)
suppressMessages(library(forecast))

out_dir <- file.path("tests", "fixtures", "arima")
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)

# A small JSON writer (base R only): numbers with 17 significant digits, NA/Inf as null.
to_json <- function(v) {
  if (is.null(v)) return("null")
  if (is.list(v)) {
    nm <- names(v)
    items <- vapply(seq_along(v), function(i) to_json(v[[i]]), "")
    if (is.null(nm)) return(paste0("[", paste(items, collapse = ","), "]"))
    return(paste0("{", paste(sprintf("\"%s\":%s", nm, items), collapse = ","), "}"))
  }
  if (is.character(v)) {
    s <- sprintf("\"%s\"", v)
    return(if (length(v) == 1 && is.null(attr(v, "vector"))) s else paste0("[", paste(s, collapse = ","), "]"))
  }
  if (is.logical(v)) return(if (length(v) == 1) tolower(as.character(v)) else paste0("[", paste(tolower(v), collapse = ","), "]"))
  num <- ifelse(is.finite(v), sprintf("%.17g", v), "null")
  if (length(v) == 1 && is.null(attr(v, "vector"))) num else paste0("[", paste(num, collapse = ","), "]")
}
vec <- function(v) structure(as.numeric(v), vector = TRUE)

coef_list <- function(fit) {
  co <- coef(fit)
  pick <- function(prefix) vec(unname(co[grepl(paste0("^", prefix, "[0-9]+$"), names(co))]))
  list(ar = pick("ar"), ma = pick("ma"), sar = pick("sar"), sma = pick("sma"),
       intercept = if ("intercept" %in% names(co)) unname(co["intercept"]) else NULL,
       drift = if ("drift" %in% names(co)) unname(co["drift"]) else NULL)
}
spec_list <- function(fit) {
  a <- fit$arma  # p, q, P, Q, m, d, D
  co <- names(coef(fit))
  list(p = a[1], d = a[6], q = a[2], P = a[3], D = a[7], Q = a[4], period = a[5],
       constant = any(co %in% c("intercept", "drift")))
}
model_json <- function(fit, h) {
  list(spec = spec_list(fit), coef = coef_list(fit), loglik = fit$loglik, aic = fit$aic,
       aicc = fit$aicc, bic = fit$bic, sigma2 = fit$sigma2,
       forecast = vec(forecast(fit, h = h)$mean))
}

# What ndiffs and nsdiffs see, step by step (auto.arima: nsdiffs on x, ndiffs on the result).
unit_root_json <- function(x) {
  m <- frequency(x)
  out <- list()
  dx <- x
  if (m > 1 && length(x) > 2 * m) {
    out$seasonal_strength <- forecast:::seas.heuristic(x)
    out$D <- nsdiffs(x)
    if (out$D > 0) dx <- diff(x, lag = m, differences = out$D)
  }
  stats <- c()
  y <- c(dx)
  for (k in 0:2) {
    stats <- c(stats, urca::ur.kpss(y, type = "mu", use.lag = trunc(3 * sqrt(length(y)) / 13))@teststat)
    y <- diff(y)
  }
  out$kpss <- vec(stats)
  out$d <- ndiffs(dx)
  out
}

series <- list()
set.seed(101); series$ar2 <- list(x = ts(50 + arima.sim(list(ar = c(0.7, -0.3)), n = 120, sd = 2)), extra = list(c(1, 0, 1)))
set.seed(102); series$ma1 <- list(x = ts(10 + arima.sim(list(ma = 0.6), n = 100)), extra = list(c(0, 0, 2)))
set.seed(103); series$arma11 <- list(x = ts(5 + arima.sim(list(ar = 0.6, ma = -0.4), n = 140)), extra = list(c(2, 0, 0)))
set.seed(104); series$rw_drift <- list(x = ts(100 + cumsum(0.5 + rnorm(120))), extra = list(c(0, 1, 1)))
set.seed(105)
t7 <- 1:140
series$seasonal7_short <- list(x = ts(200 + 0.1 * t7 + 15 * sin(2 * pi * t7 / 7) + 8 * cos(4 * pi * t7 / 7) +
  arima.sim(list(ar = 0.5), n = 140, sd = 4), frequency = 7), extra = list(c(1, 0, 0, 1, 0, 1), c(0, 1, 1, 0, 1, 1)))
set.seed(106)
t7 <- 1:400
series$seasonal7_long <- list(x = ts(300 + 0.05 * t7 + 20 * sin(2 * pi * t7 / 7) + 10 * (t7 %% 7 == 5) +
  arima.sim(list(ar = 0.4, ma = 0.3), n = 400, sd = 6), frequency = 7), extra = list(c(2, 0, 1, 1, 0, 0), c(1, 1, 1, 0, 1, 1)))
set.seed(107)
airline <- arima.sim(list(order = c(0, 1, 1), ma = -0.4), n = 143)
seasonal12 <- rep(c(-20, -15, -5, 0, 5, 15, 25, 22, 10, 0, -10, -27), 12)
series$seasonal12 <- list(x = ts(400 + 3 * cumsum(rnorm(144, 0.3)) + seasonal12 + 4 * rnorm(144), frequency = 12),
  extra = list(c(0, 1, 1, 0, 1, 1), c(1, 0, 0, 1, 1, 0)))
set.seed(108)
t52 <- 1:143
series$weekly52 <- list(x = ts(1000 + 2 * t52 + 80 * sin(2 * pi * t52 / 52) + 150 * (t52 %% 52 %in% c(46, 47)) +
  arima.sim(list(ar = 0.5), n = 143, sd = 25), frequency = 52), extra = list(c(1, 0, 0, 0, 1, 0)))
set.seed(109); series$short <- list(x = ts(20 + arima.sim(list(ar = 0.5), n = 14)), extra = list(c(1, 0, 0)))
set.seed(110); series$short_seasonal <- list(x = ts(30 + rep(c(5, 0, -5, 2), 5) + rnorm(20), frequency = 4), extra = list(c(0, 0, 0, 0, 1, 0)))

h <- 14
versions <- sprintf("R %s.%s, forecast %s, urca %s", R.version$major, R.version$minor,
                    packageVersion("forecast"), packageVersion("urca"))
for (name in names(series)) {
  s <- series[[name]]
  x <- s$x
  started <- proc.time()[["elapsed"]]
  auto <- auto.arima(x)
  seconds <- proc.time()[["elapsed"]] - started
  extra <- lapply(s$extra, function(o) {
    fit <- if (length(o) == 3) Arima(x, order = o, include.constant = TRUE)
           else Arima(x, order = o[1:3], seasonal = o[4:6], include.constant = TRUE)
    model_json(fit, h)
  })
  doc <- list(
    generated_by = "tools/r_arima_fixtures.R",
    versions = versions,
    name = name,
    period = frequency(x),
    x = vec(x),
    h = h,
    unit_root = unit_root_json(x),
    auto = model_json(auto, h),
    auto_seconds = seconds,
    models = extra
  )
  writeLines(to_json(doc), file.path(out_dir, paste0(name, ".json")))
  cat(sprintf("%-16s n=%3d m=%2d  %s  AICc %.3f  (%.2f s)\n", name, length(x), frequency(x),
              forecast:::arima.string(auto), auto$aicc, seconds))
}
