// GET /api/forecasts/{level}?format=csv|parquet[&version=][&series=a&series=b]: every series'
// forecast of one hierarchy level (or the named ones: the dashboard's page of tiles) with its intervals, from the catalogue model (train --catalogue) the registry
// serves under catalogue.model_name: the table `salescast forecast --level L` writes. CSV is
// streamed a chunk of series at a time; Parquet is built whole (DuckDB) and sent.
import { Readable } from "node:stream";
import type { FastifyPluginAsync } from "fastify";
import { HttpError } from "../errors.js";
import { errorResponses } from "./schemas.js";

interface ForecastsParams {
  level: string;
}
interface ForecastsQuery {
  format?: "csv" | "parquet";
  version?: string;
  series?: string | string[];
}

/** Most series one request may name (a page of tiles is 12; the whole level needs no names). */
const MAX_NAMED_SERIES = 500;

export const catalogueForecastRoutes: FastifyPluginAsync = async (app) => {
  const { options, registry } = app.salescast;

  app.get<{ Params: ForecastsParams; Querystring: ForecastsQuery }>(
    "/forecasts/:level",
    {
      schema: {
        tags: ["forecast"],
        summary: "Every series' forecast of one hierarchy level, with intervals, as CSV or Parquet (the catalogue model)",
        description:
          "Columns: level, series, date, forecast, and `lo_<L>`, `hi_<L>` per interval level (when the model was trained with catalogue.evaluate). " +
          'The level is a label of data.hierarchy ("total", "store_id", "store_id/item_id": percent-encode the "/" as %2F).',
        params: {
          type: "object",
          required: ["level"],
          properties: { level: { type: "string", minLength: 1, maxLength: 500, description: "A level label of the catalogue model" } },
        },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            format: { type: "string", enum: ["csv", "parquet"], description: "csv (default) or parquet" },
            version: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$", description: "Registry version number or alias (default: champion, else latest)" },
            series: {
              // Given once, a query parameter arrives as a string; repeated, as a list.
              anyOf: [
                { type: "string", minLength: 1, maxLength: 500 },
                { type: "array", items: { type: "string", minLength: 1, maxLength: 500 }, maxItems: MAX_NAMED_SERIES },
              ],
              description: `Only these series of the level, in this order (repeat the parameter: series=CA_1&series=TX_2; at most ${MAX_NAMED_SERIES}). Default: every series of the level.`,
            },
          },
        },
        response: {
          200: { description: "The level's forecasts: `text/csv` or `application/vnd.apache.parquet`", type: "string" },
          ...errorResponses(404, 422, 500, 503),
        },
      },
    },
    async (request, reply) => {
      const { readCatalogueVersion } = await import("../../training/catalogue/version-files.js");
      const { rowsOfLevel, forecastCsv, UnknownLevelError } = await import("../../training/catalogue/forecast-table.js");
      const { parseVersionRef } = await import("../../registry/index.js");
      const name = options.config.catalogue.model_name;
      // Asked by reference: without one, the resilient registry would check that the version loads
      // as a per-series model, which a catalogue version is not (it holds forecasts, not model.json).
      const ref = parseVersionRef(request.query.version);
      const version =
        ref !== undefined ? await registry.resolve(name, ref) : ((await registry.resolve(name, "champion")) ?? (await registry.resolve(name, "latest")));
      if (!version) {
        throw new HttpError(
          404,
          "not_found",
          `no catalogue model "${name}"${request.query.version ? ` version ${request.query.version}` : ""} is registered: train one with salescast train --catalogue`,
        );
      }
      const stored = await readCatalogueVersion(version.dir);
      let rows: number[];
      try {
        rows = rowsOfLevel(stored, request.params.level);
      } catch (error) {
        if (error instanceof UnknownLevelError) throw new HttpError(404, "not_found", error.message);
        throw error;
      }
      const named = typeof request.query.series === "string" ? [request.query.series] : request.query.series;
      if (named && named.length > 0) rows = namedRows(stored.meta.row_names, rows, named, request.params.level);
      const file = `forecasts-${request.params.level.replace(/[^A-Za-z0-9_.-]/g, "_")}`;
      if (request.query.format === "parquet") {
        const { forecastParquet } = await import("../../training/catalogue/forecast-export.js");
        const bytes = await forecastParquet(stored, rows);
        return reply
          .type("application/vnd.apache.parquet")
          .header("content-disposition", `attachment; filename="${file}.parquet"`)
          .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      }
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${file}.csv"`)
        .send(Readable.from(forecastCsv(stored, rows)));
    },
  );
};

/** The rows of `named` among the level's `rows`, in the order named; a name not in the level is a 404 naming it. */
function namedRows(rowNames: readonly string[], rows: readonly number[], named: readonly string[], level: string): number[] {
  const byName = new Map(rows.map((r) => [rowNames[r], r]));
  const missing = named.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    const shown = missing
      .slice(0, 3)
      .map((name) => JSON.stringify(name))
      .join(", ");
    throw new HttpError(
      404,
      "not_found",
      `level "${level}" of the catalogue model has no series ${shown}${missing.length > 3 ? ` (and ${missing.length - 3} more)` : ""}`,
    );
  }
  return [...new Set(named)].map((name) => byName.get(name)!);
}
