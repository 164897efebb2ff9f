// GET /api/series?search=&level=&page=&page_size=: one page of the series in the data, for a
// catalogue of tens of thousands (GET /api/categories lists every name in one answer, which a
// picker cannot show). The bottom series by default; level=<label> lists a data.hierarchy level's
// aggregates. The work per request is one scan of precomputed search texts (series-index.ts).
import type { FastifyPluginAsync } from "fastify";
import { HttpError } from "../errors.js";
import { describeSeries, levelOf, searchLevel, searchTerms, seriesIndexOf } from "../series-index.js";
import { errorResponses } from "./schemas.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
/** Pages beyond this are refused: at the largest page size it is far past any real catalogue. */
export const MAX_PAGE = 1_000_000;

interface ListQuery {
  search?: string;
  level?: string;
  page?: string;
  page_size?: string;
}

// Query values arrive as text (the server does not coerce types): digits here, range in the handler.
const count = (description: string) => ({ type: "string", pattern: "^[0-9]{1,12}$", description }) as const;

const levelSchema = {
  type: "object",
  required: ["label", "columns", "bottom", "series"],
  additionalProperties: false,
  properties: {
    label: { type: "string", description: '"total", or the level\'s columns joined by "/" ("store_id/dept_id")' },
    columns: { type: "array", items: { type: "string" } },
    bottom: { type: "boolean", description: "True for the bottom series (the series key's level): the ones models are trained on" },
    series: { type: "integer", description: "How many series the level has" },
  },
} as const;

const seriesItem = {
  type: "object",
  required: ["name", "parts", "level", "first_date", "last_date", "periods", "total"],
  additionalProperties: false,
  properties: {
    name: {
      type: "string",
      description: 'The name GET /api/series/{name} and POST /api/predict/{name} take (percent-encoded in a URL: "CA_1/FOODS_3_090" is CA_1%2FFOODS_3_090)',
    },
    parts: { type: "array", items: { type: "string" }, description: "The level's column values, in the order of its columns" },
    level: { type: "string" },
    first_date: { type: "string", description: "First period with data, YYYY-MM-DD" },
    last_date: { type: "string", description: "Last period with data, YYYY-MM-DD" },
    periods: { type: "integer", description: "Periods from first_date to last_date" },
    total: { type: "number", description: "Sum of the recorded sales" },
  },
} as const;

export const seriesListRoutes: FastifyPluginAsync = async (app) => {
  const { data } = app.salescast;

  app.get<{ Querystring: ListQuery }>(
    "/series",
    {
      schema: {
        tags: ["catalog"],
        summary: "One page of the series in the data, filtered by a search and a hierarchy level",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            search: {
              type: "string",
              maxLength: 200,
              description: "Words that must all appear in the name or its key values (case-insensitive); empty: every series",
            },
            level: { type: "string", minLength: 1, maxLength: 500, description: "A level label from `levels` (default: the bottom series)" },
            page: count("Page number, from 1 (default 1); a page past the end is empty"),
            page_size: count(`Series per page, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`),
          },
        },
        response: {
          200: {
            type: "object",
            required: ["level", "levels", "search", "page", "page_size", "total_count", "series"],
            additionalProperties: false,
            properties: {
              level: { type: "string", description: "The level listed" },
              levels: { type: "array", items: levelSchema, description: "Every level of the data, the bottom series first" },
              search: { type: "string" },
              page: { type: "integer" },
              page_size: { type: "integer" },
              total_count: { type: "integer", description: "Series of the level matching the search, on all pages" },
              series: { type: "array", items: seriesItem, description: "This page, in natural name order (CA_2 before CA_10)" },
            },
          },
          ...errorResponses(404, 422, 500, 503),
        },
      },
    },
    async (request) => {
      const page = inRange("page", request.query.page, 1, 1, MAX_PAGE);
      const pageSize = inRange("page_size", request.query.page_size, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
      const sales = await data.get();
      const index = seriesIndexOf(sales);
      const level = levelOf(index, request.query.level);
      const search = request.query.search ?? "";
      const { entries, totalCount } = searchLevel(level, searchTerms(search), page, pageSize);
      return {
        level: level.label,
        levels: index.levels.map((l) => ({ label: l.label, columns: l.columns, bottom: l.bottom, series: l.entries.length })),
        search,
        page,
        page_size: pageSize,
        total_count: totalCount,
        series: entries.map((entry) => describeSeries(entry, level.label, sales.frequency)),
      };
    },
  );
};

function inRange(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (value < min || value > max) {
    throw new HttpError(422, "validation_error", `querystring.${name} must be a whole number from ${min} to ${max.toLocaleString("en-US")} (got ${text})`);
  }
  return value;
}
