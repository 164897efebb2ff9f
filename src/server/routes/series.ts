// GET /api/series/{category}?from&to&level: the category's complete series (gaps filled as in
// training; with level=<label>, that hierarchy level's aggregate of the name), for the dashboard's
// explorer. A catalogue's name holds "/" (CA_1/FOODS_3_090): a URL sends it as CA_1%2FFOODS_3_090.
// GET /api/series/{category}/latest: its last window, to prefill a prediction (the reference dashboard's Predict page does this from the CSV).
import type { FastifyBaseLogger, FastifyPluginAsync } from "fastify";
import { PERIOD_DAYS, periodDates } from "../../data/calendar.js";
import { covariatePeriods } from "../../data/covariate-periods.js";
import { epochDayFromIso, isoFromEpochDay } from "../../data/dates.js";
import type { CategorySeries, SalesData } from "../../data/types.js";
import { ModelNotFoundError } from "../../forecaster/errors.js";
import { HttpError } from "../errors.js";
import { levelOf, seriesIndexOf } from "../series-index.js";
import { categoryParam, errorResponses } from "./schemas.js";

/** Names listed in an unknown-category answer. */
const KNOWN_SHOWN = 20;

// format "date": a real calendar date, so "2024-02-30" is refused by the schema, not later.
const isoDate = { type: "string", format: "date", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "YYYY-MM-DD" } as const;

const seriesAnswer = {
  type: "object",
  required: ["category", "frequency", "dates", "values"],
  properties: {
    category: { type: "string" },
    frequency: { type: "string", enum: ["D", "W"] },
    dates: { type: "array", items: { type: "string" }, description: "First day of each period" },
    values: { type: "array", items: { type: "number" }, description: "Sales per period, same order as dates" },
  },
} as const;

export const seriesRoutes: FastifyPluginAsync = async (app) => {
  const { data, models, options } = app.salescast;

  /** The covariates' values over the window, from the data file; {} when the file no longer has them (the client asks the user). */
  const windowCovariates = async (names: string[], series: CategorySeries, sales: SalesData, start: number, log: FastifyBaseLogger) => {
    try {
      const daily = await data.covariates(names);
      const periods = covariatePeriods(daily, series.category, series.start, series.values.length, sales.frequency, options.config.data.fill);
      return Object.fromEntries(names.map((name, i) => [name, Array.from(periods[i].subarray(start))]));
    } catch (error) {
      log.info({ err: error, category: series.category }, "the data file's covariates could not be read for the latest window");
      return {};
    }
  };

  /** The series named `category` in `level` (the bottom series without one), found in the index of the loaded data. */
  const seriesOf = async (category: string, levelLabel?: string): Promise<{ sales: SalesData; series: CategorySeries }> => {
    const sales = await data.get();
    const level = levelOf(seriesIndexOf(sales), levelLabel);
    const found = level.byName.get(category);
    if (!found) {
      // A catalogue has tens of thousands of names: the first few, and where to search the rest.
      const known = level.entries.slice(0, KNOWN_SHOWN).map((entry) => entry.name);
      const more = level.entries.length - known.length;
      const where = level.bottom ? "" : ` at level ${JSON.stringify(level.label)}`;
      throw new HttpError(
        404,
        "unknown_category",
        `category ${JSON.stringify(category)} is not in the data${where}. Known categories: ${known.join(", ") || "none"}` +
          (more > 0 ? ` and ${more.toLocaleString("en-US")} more (GET /api/series?search=... finds them; a "/" in a name is sent as %2F)` : ""),
      );
    }
    return { sales, series: found.series };
  };

  app.get<{ Params: { category: string }; Querystring: { from?: string; to?: string; level?: string } }>(
    "/series/:category",
    {
      schema: {
        tags: ["catalog"],
        summary: "A category's sales per period, optionally between two dates (inclusive)",
        params: categoryParam,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            from: isoDate,
            to: isoDate,
            level: {
              type: "string",
              minLength: 1,
              maxLength: 500,
              description: "A hierarchy level's label (GET /api/series lists them): its aggregate of this name; default the bottom series",
            },
          },
        },
        response: { 200: seriesAnswer, ...errorResponses(404, 422, 500, 503) },
      },
    },
    async (request) => {
      const { category } = request.params;
      // The schema admits real YYYY-MM-DD dates only, and such dates order as strings (years
      // 0001-0099 too, which Date.UTC would read as 19xx).
      const { from, to } = request.query;
      if (from !== undefined && to !== undefined && from > to) {
        throw new HttpError(422, "validation_error", `querystring.from (${request.query.from}) is after querystring.to (${request.query.to})`);
      }
      const { sales, series } = await seriesOf(category, request.query.level);
      const dates = periodDates(series, sales.frequency);
      const keep: number[] = [];
      dates.forEach((date, i) => {
        if ((from === undefined || date >= from) && (to === undefined || date <= to)) keep.push(i);
      });
      return { category, frequency: sales.frequency, dates: keep.map((i) => dates[i]), values: keep.map((i) => series.values[i]) };
    },
  );

  app.get<{ Params: { category: string } }>(
    "/series/:category/latest",
    {
      schema: {
        tags: ["catalog"],
        summary: "The last window of a category (the input of its next forecast)",
        params: categoryParam,
        response: {
          200: {
            ...seriesAnswer,
            required: [...seriesAnswer.required, "window_size", "next_date"],
            properties: {
              ...seriesAnswer.properties,
              window_size: { type: "integer", description: "From the served model, else data.window_size" },
              next_date: { type: "string", description: "The period a forecast from this window is for" },
              covariates: {
                type: "object",
                additionalProperties: { type: "array", items: { type: "number" } },
                description:
                  "For a served model that reads covariates (model.features.covariates): each covariate's values over the window, " +
                  "from the data file (a forecast needs these followed by one value per forecast period)",
              },
            },
          },
          ...errorResponses(404, 422, 500, 503),
        },
      },
    },
    async (request) => {
      const { category } = request.params;
      const { sales, series } = await seriesOf(category);
      let windowSize = options.config.data.window_size;
      let covariateNames: string[] = [];
      try {
        const forecaster = await models.get(category);
        windowSize = forecaster.windowSize;
        covariateNames = forecaster.covariateNames;
      } catch (error) {
        if (!(error instanceof ModelNotFoundError)) throw error;
      }
      if (series.values.length < windowSize) {
        throw new HttpError(
          422,
          "series_too_short",
          `category ${JSON.stringify(category)} has ${series.values.length} periods, fewer than the window of ${windowSize}`,
        );
      }
      const dates = periodDates(series, sales.frequency);
      const start = dates.length - windowSize;
      const lastDay = epochDayFromIso(dates[dates.length - 1])!;
      return {
        category,
        frequency: sales.frequency,
        window_size: windowSize,
        dates: dates.slice(start),
        values: Array.from(series.values.subarray(start)),
        next_date: isoFromEpochDay(lastDay + PERIOD_DAYS[sales.frequency]),
        ...(covariateNames.length > 0 ? { covariates: await windowCovariates(covariateNames, series, sales, start, request.log) } : {}),
      };
    },
  );
};
