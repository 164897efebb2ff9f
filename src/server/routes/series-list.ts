// GET /api/series?search=&level=&page=&page_size=: one page of the series in the data, for a
// catalogue of tens of thousands (GET /api/categories lists every name in one answer, which a
// picker cannot show). The bottom series by default; level=<label> lists a data.hierarchy level's
// aggregates; parent_level=<label>&parent=<name> keeps the series within one series of another
// level (the dashboard's drill-down, drill-down.ts), and each level names its `child_level`. The
// work per request is one scan of precomputed search texts (series-index.ts).
import type { FastifyPluginAsync } from "fastify";
import { HttpError } from "../errors.js";
import { childLevelOf, childrenOf } from "../drill-down.js";
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
  parent_level?: string;
  parent?: string;
}

// Query values arrive as text (the server does not coerce types): digits here, range in the handler.
const count = (description: string) => ({ type: "string", pattern: "^[0-9]{1,12}$", description }) as const;

const levelSchema = {
  type: "object",
  required: ["label", "columns", "bottom", "series", "child_level"],
  additionalProperties: false,
  properties: {
    label: { type: "string", description: '"total", or the level\'s columns joined by "/" ("store_id/dept_id")' },
    columns: { type: "array", items: { type: "string" } },
    bottom: { type: "boolean", description: "True for the bottom series (the series key's level): the ones models are trained on" },
    series: { type: "integer", description: "How many series the level has" },
    child_level: {
      type: ["string", "null"],
      description:
        "The level a series of this one drills down to: the first later level of data.hierarchy (the bottom series last) whose series each lie within one of this level's; null at the bottom",
    },
  },
} as const;

const seriesItem = {
  type: "object",
  required: ["name", "parts", "level", "first_date", "last_date", "periods", "total", "has_model"],
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
    has_model: { type: "boolean", description: "A bottom series with a registered model (GET /api/forecast/{name} answers); false for aggregates" },
  },
} as const;

export const seriesListRoutes: FastifyPluginAsync = async (app) => {
  const { data, registry } = app.salescast;

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
            parent_level: { type: "string", minLength: 1, maxLength: 500, description: "With parent: the level label of the series whose children are listed" },
            parent: {
              type: "string",
              minLength: 1,
              maxLength: 2000,
              description:
                "With parent_level: list only the series of `level` within this series of parent_level (drill-down; `level` must nest in parent_level)",
            },
          },
        },
        response: {
          200: {
            type: "object",
            required: ["level", "levels", "search", "parent_level", "parent", "page", "page_size", "total_count", "series"],
            additionalProperties: false,
            properties: {
              level: { type: "string", description: "The level listed" },
              levels: { type: "array", items: levelSchema, description: "Every level of the data, the bottom series first" },
              search: { type: "string" },
              parent_level: { type: ["string", "null"], description: "The parent's level when the list is a series' children" },
              parent: { type: ["string", "null"], description: "The series whose children are listed, or null" },
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
      const { parent_level: parentLabel, parent } = request.query;
      if ((parentLabel === undefined) !== (parent === undefined)) {
        throw new HttpError(
          422,
          "validation_error",
          `querystring.parent and querystring.parent_level go together: give both (the parent series' name and its level), or neither`,
        );
      }
      const within = parentLabel !== undefined && parent !== undefined ? childrenOf(index, level, levelOf(index, parentLabel), parent) : undefined;
      const { entries, totalCount } = searchLevel(level, searchTerms(search), page, pageSize, within);
      // Only bottom series have models; the registry's names are read once per page, not per series.
      const registered = level.bottom && entries.length > 0 ? new Set(await registry.categories()) : new Set<string>();
      return {
        level: level.label,
        levels: index.levels.map((l) => ({
          label: l.label,
          columns: l.columns,
          bottom: l.bottom,
          series: l.entries.length,
          child_level: childLevelOf(index, l)?.label ?? null,
        })),
        search,
        parent_level: within ? levelOf(index, parentLabel).label : null,
        parent: within ? (parent ?? null) : null,
        page,
        page_size: pageSize,
        total_count: totalCount,
        series: entries.map((entry) => ({ ...describeSeries(entry, level.label, sales.frequency), has_model: registered.has(entry.name) })),
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
