// Generated from the server's OpenAPI document (its route schemas) by openapi-typescript:
// do not edit. After changing a route's schema, run `npm run gen:api-types`; web/src/api-types.ts
// names the types the dashboard uses.

export interface paths {
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The server is up */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                            /** @description salescast version */
                            version: string;
                            uptime_seconds?: number;
                            /** @description The engine backend (engine.backend) new models are loaded on */
                            engine: {
                                /**
                                 * @description engine.backend: auto = native when its addon loads, else reference
                                 * @enum {string}
                                 */
                                setting: "auto" | "native" | "reference";
                                /**
                                 * @description The backend the setting stands for in this process
                                 * @enum {string}
                                 */
                                backend: "reference" | "native";
                                /** @description Why the native backend cannot be used here (null when it can) */
                                native_unavailable: string | null;
                            };
                            /** @description The model registry behind the served models (MLflow's is read from a snapshot polled in the background) */
                            registry: {
                                /** @enum {string} */
                                kind: "local" | "mlflow";
                                /**
                                 * @description degraded: serving from the last answer; unavailable: nothing to serve from yet
                                 * @enum {string}
                                 */
                                state: "ok" | "degraded" | "unavailable";
                                reason: string | null;
                                /** @description Seconds since the registry last confirmed what is served (null: never, or a local registry read directly) */
                                stale_seconds: number | null;
                                /** @description Categories served by an older version because the registry's one does not load */
                                fallbacks: {
                                    category: string;
                                    wanted_version: number;
                                    /** @description null: no version of the category loads */
                                    serving_version: number | null;
                                    reason: string;
                                }[];
                            };
                            /** @description Models loaded in memory */
                            models: {
                                category: string;
                                version: number | null;
                                window_size: number;
                                /**
                                 * @description The engine backend computing this model's network (absent for a model without one)
                                 * @enum {string}
                                 */
                                backend?: "reference" | "native";
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The server has at least one model loaded (503 until then); degraded while serving from a registry snapshot or an older version */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description degraded: predictions are answered, but see reasons
                             * @enum {string}
                             */
                            status: "ready" | "degraded";
                            /** @description Why degraded ([] when ready) */
                            reasons: string[];
                            models: {
                                category: string;
                                version: number | null;
                                window_size: number;
                                /**
                                 * @description The engine backend computing this model's network (absent for a model without one)
                                 * @enum {string}
                                 */
                                backend?: "reference" | "native";
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/predict": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Forecast the default category (data.item_id, here Beauty; a file of one series: that series) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Send "series" (one window) or "instances" (many windows), oldest value first. */
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "series": [
                     *         100,
                     *         110,
                     *         120,
                     *         130,
                     *         140,
                     *         150,
                     *         160,
                     *         100,
                     *         110,
                     *         120,
                     *         130,
                     *         140,
                     *         150,
                     *         160
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description The last window_size values of the category, oldest first */
                        series?: number[];
                        /** @description Several windows, each of window_size values; at most 100,000 forecast values (windows × horizon) per request (app.max_forecast_values), 413 beyond */
                        instances?: number[][];
                        /** @description Periods ahead; each prediction is fed back as input for the next (recursive) */
                        horizon?: number;
                        /** @description Prediction interval levels in percent, e.g. [80, 95] (series form only); each must be one the model was calibrated for */
                        level?: number[];
                        /** @description Date (YYYY-MM-DD) of the window's last value (of every instance's last value). Required by models trained with calendar features (model.features), which read the day of week, month or holidays of each period; ignored by other models */
                        last_date?: string;
                        /** @description Models trained with covariates (model.features.covariates, values known in advance such as a promotion flag): per covariate, one value for each period of the window and each forecast period (window_size + horizon values, oldest first). Series form only; ignored by other models */
                        covariates?: {
                            [key: string]: number[];
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The next period (series form) */
                            predicted_sales?: number;
                            /** @description horizon values (series form with horizon) */
                            forecast?: number[];
                            /** @description The next period of each instance */
                            predictions?: number[];
                            /** @description horizon values per instance (instances form with horizon) */
                            forecasts?: number[][];
                            /** @description One band per requested level (only when "level" is sent): forecast ± the calibrated half-width of each step */
                            intervals?: {
                                /** @description Nominal coverage in percent */
                                level: number;
                                /** @description Lower bound per forecast step */
                                lower: number[];
                                /** @description Upper bound per forecast step */
                                upper: number[];
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/predict/{category}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Forecast one category */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A category name exactly as in the data (case-sensitive) */
                    category: string;
                };
                cookie?: never;
            };
            /** @description Send "series" (one window) or "instances" (many windows), oldest value first. */
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "series": [
                     *         100,
                     *         110,
                     *         120,
                     *         130,
                     *         140,
                     *         150,
                     *         160,
                     *         100,
                     *         110,
                     *         120,
                     *         130,
                     *         140,
                     *         150,
                     *         160
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description The last window_size values of the category, oldest first */
                        series?: number[];
                        /** @description Several windows, each of window_size values; at most 100,000 forecast values (windows × horizon) per request (app.max_forecast_values), 413 beyond */
                        instances?: number[][];
                        /** @description Periods ahead; each prediction is fed back as input for the next (recursive) */
                        horizon?: number;
                        /** @description Prediction interval levels in percent, e.g. [80, 95] (series form only); each must be one the model was calibrated for */
                        level?: number[];
                        /** @description Date (YYYY-MM-DD) of the window's last value (of every instance's last value). Required by models trained with calendar features (model.features), which read the day of week, month or holidays of each period; ignored by other models */
                        last_date?: string;
                        /** @description Models trained with covariates (model.features.covariates, values known in advance such as a promotion flag): per covariate, one value for each period of the window and each forecast period (window_size + horizon values, oldest first). Series form only; ignored by other models */
                        covariates?: {
                            [key: string]: number[];
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The next period (series form) */
                            predicted_sales?: number;
                            /** @description horizon values (series form with horizon) */
                            forecast?: number[];
                            /** @description The next period of each instance */
                            predictions?: number[];
                            /** @description horizon values per instance (instances form with horizon) */
                            forecasts?: number[][];
                            /** @description One band per requested level (only when "level" is sent): forecast ± the calibrated half-width of each step */
                            intervals?: {
                                /** @description Nominal coverage in percent */
                                level: number;
                                /** @description Lower bound per forecast step */
                                lower: number[];
                                /** @description Upper bound per forecast step */
                                upper: number[];
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Categories in the data and categories with a trained model */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description data.item_id: the category POST /api/predict uses */
                            default: string;
                            categories: {
                                name: string;
                                in_data: boolean;
                                has_model: boolean;
                                /** @description The version predictions use */
                                version: number | null;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The model version each category serves */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description data.item_id: the category POST /api/predict uses (it may have no model yet) */
                            default: string;
                            models: {
                                category: string;
                                version: number;
                                /** @description When the version was registered (trained at), ISO 8601 */
                                created_at: string;
                                window_size: number;
                                aliases: string[];
                                /** @description Tracking run that produced it */
                                run_id: string | null;
                                /** @description Validation (and test) metrics in sales units, e.g. val_rmse, val_mase, seasonal_naive_val_mase */
                                metrics: {
                                    [key: string]: number | null;
                                };
                                /** @description True for the version predictions use (champion alias, else latest) */
                                serving: boolean;
                                /** @description True when this version is in memory right now */
                                loaded: boolean;
                                /** @description What a forecast from this model needs (from its model.json); null when its files cannot be read on this server */
                                inputs: {
                                    /** @description The model kind: cnn_lstm (the network), holt_winters, naive, ... (model.architecture at training) */
                                    kind?: string;
                                    /** @description Values per window ("series" must have exactly this many) */
                                    window_size: number;
                                    /** @description Periods the model predicts per step (the network's model.horizon at training, 1 for the others); longer forecasts repeat steps */
                                    horizon: number;
                                    /**
                                     * @description Period of the data it was trained on: D daily, W weekly
                                     * @enum {string}
                                     */
                                    frequency: "D" | "W";
                                    /** @description Its feature channels (model.features at training) */
                                    features: {
                                        day_of_week: boolean;
                                        month: boolean;
                                        /** @description ISO dates of the holiday channel */
                                        holidays: string[];
                                        /** @description Columns POST /api/predict needs in "covariates": window_size + horizon values each, oldest first */
                                        covariates: string[];
                                    };
                                    /** @description Input channels in order, the sales value first */
                                    channels: string[];
                                    /** @description True when POST /api/predict needs "last_date" (calendar features: day of week, month, holidays) */
                                    needs_last_date: boolean;
                                } | null;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{category}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every registered version of one category, oldest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A category name exactly as in the data (case-sensitive) */
                    category: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            models: {
                                category: string;
                                version: number;
                                /** @description When the version was registered (trained at), ISO 8601 */
                                created_at: string;
                                window_size: number;
                                aliases: string[];
                                /** @description Tracking run that produced it */
                                run_id: string | null;
                                /** @description Validation (and test) metrics in sales units, e.g. val_rmse, val_mase, seasonal_naive_val_mase */
                                metrics: {
                                    [key: string]: number | null;
                                };
                                /** @description True for the version predictions use (champion alias, else latest) */
                                serving: boolean;
                                /** @description True when this version is in memory right now */
                                loaded: boolean;
                                /** @description What a forecast from this model needs (from its model.json); null when its files cannot be read on this server */
                                inputs: {
                                    /** @description The model kind: cnn_lstm (the network), holt_winters, naive, ... (model.architecture at training) */
                                    kind?: string;
                                    /** @description Values per window ("series" must have exactly this many) */
                                    window_size: number;
                                    /** @description Periods the model predicts per step (the network's model.horizon at training, 1 for the others); longer forecasts repeat steps */
                                    horizon: number;
                                    /**
                                     * @description Period of the data it was trained on: D daily, W weekly
                                     * @enum {string}
                                     */
                                    frequency: "D" | "W";
                                    /** @description Its feature channels (model.features at training) */
                                    features: {
                                        day_of_week: boolean;
                                        month: boolean;
                                        /** @description ISO dates of the holiday channel */
                                        holidays: string[];
                                        /** @description Columns POST /api/predict needs in "covariates": window_size + horizon values each, oldest first */
                                        covariates: string[];
                                    };
                                    /** @description Input channels in order, the sales value first */
                                    channels: string[];
                                    /** @description True when POST /api/predict needs "last_date" (calendar features: day of week, month, holidays) */
                                    needs_last_date: boolean;
                                } | null;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/forecast/{category}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Forecast the next h periods after the end of the category's history, dated, with prediction intervals (no window to send) */
        get: {
            parameters: {
                query?: {
                    /** @description Periods ahead, 1..365 (default model.auto.horizon, 7) */
                    h?: string;
                };
                header?: never;
                path: {
                    /** @description A category name exactly as in the data (case-sensitive) */
                    category: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            category: string;
                            version: number | null;
                            /** @description The model kind serving (the tournament's champion with architecture auto) */
                            model: string;
                            /** @enum {string} */
                            frequency: "D" | "W";
                            /**
                             * @description The history forecast from: the version's own (statistical kinds) or the server's data (the network's last window)
                             * @enum {string}
                             */
                            source: "stored history" | "data";
                            /** @description ISO date of the history's last period */
                            history_end: string;
                            horizon: number;
                            /** @description Interval levels (percent) with `lo_<level>` and `hi_<level>` in each period */
                            levels: number[];
                            forecast: ({
                                date: string;
                                step: number;
                                value: number;
                            } & {
                                [key: string]: number | null;
                            })[];
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{category}/leaderboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tournament behind a version trained with model.architecture auto: every candidate's errors per window and step, the champion and why */
        get: {
            parameters: {
                query?: {
                    /** @description A version number or alias (default: the version served) */
                    version?: string;
                };
                header?: never;
                path: {
                    /** @description A category name exactly as in the data (case-sensitive) */
                    category: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            category: string;
                            version: number;
                            aliases: string[];
                            leaderboard: {
                                format_version: number;
                                series: string;
                                /** @enum {string} */
                                frequency: "D" | "W";
                                horizon: number;
                                step: number;
                                selection_cutoffs: string[];
                                evaluation_cutoffs: string[];
                                champion: {
                                    model: string;
                                    kind: string;
                                    /** @description Why this model serves */
                                    reason: string;
                                    selection_mase: number | null;
                                    evaluation_mase: number | null;
                                    /** @description True when no candidate had a score and a baseline serves */
                                    fallback: boolean;
                                    /** @description A combination champion (kind ensemble): the kinds whose mean forecast it is */
                                    members?: string[];
                                    /** @description Its intervals (calibrated on the selection windows) checked on the evaluation windows */
                                    coverage?: {
                                        level: number;
                                        covered: number;
                                        total: number;
                                        coverage: number | null;
                                    }[];
                                };
                                entries: {
                                    model: string;
                                    kind: string;
                                    /** @enum {string} */
                                    role: "candidate" | "baseline";
                                    /** @enum {string} */
                                    status: "ok" | "skipped" | "failed";
                                    reason: string | null;
                                    description: string | null;
                                    selection_mase: number | null;
                                    evaluation_mase: number | null;
                                    selection_step_mase: number[];
                                    evaluation_step_mase: number[];
                                    windows: {
                                        /** @enum {string} */
                                        part: "selection" | "evaluation";
                                        cutoff: string;
                                        scale: number | null;
                                        forecast: number[];
                                        actual: number[];
                                        step_error: number[];
                                        mase: number;
                                    }[];
                                    coverage: {
                                        level: number;
                                        covered: number;
                                        total: number;
                                        coverage: number | null;
                                    }[];
                                    seconds: number;
                                }[];
                            };
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/series/{category}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A category's sales per period, optionally between two dates (inclusive) */
        get: {
            parameters: {
                query?: {
                    /** @description YYYY-MM-DD */
                    from?: string;
                    /** @description YYYY-MM-DD */
                    to?: string;
                    /** @description A hierarchy level's label (GET /api/series lists them): its aggregate of this name; default the bottom series */
                    level?: string;
                };
                header?: never;
                path: {
                    /** @description A category name exactly as in the data (case-sensitive) */
                    category: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            category: string;
                            /** @enum {string} */
                            frequency: "D" | "W";
                            /** @description First day of each period */
                            dates: string[];
                            /** @description Sales per period, same order as dates */
                            values: number[];
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/series/{category}/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The last window of a category (the input of its next forecast) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A category name exactly as in the data (case-sensitive) */
                    category: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            category: string;
                            /** @enum {string} */
                            frequency: "D" | "W";
                            /** @description First day of each period */
                            dates: string[];
                            /** @description Sales per period, same order as dates */
                            values: number[];
                            /** @description From the served model, else data.window_size */
                            window_size: number;
                            /** @description The period a forecast from this window is for */
                            next_date: string;
                            /** @description For a served model that reads covariates (model.features.covariates): each covariate's values over the window, from the data file (a forecast needs these followed by one value per forecast period) */
                            covariates?: {
                                [key: string]: number[];
                            };
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/series": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One page of the series in the data, filtered by a search and a hierarchy level */
        get: {
            parameters: {
                query?: {
                    /** @description Words that must all appear in the name or its key values (case-insensitive); empty: every series */
                    search?: string;
                    /** @description A level label from `levels` (default: the bottom series) */
                    level?: string;
                    /** @description Page number, from 1 (default 1); a page past the end is empty */
                    page?: string;
                    /** @description Series per page, 1 to 500 (default 50) */
                    page_size?: string;
                    /** @description With parent: the level label of the series whose children are listed */
                    parent_level?: string;
                    /** @description With parent_level: list only the series of `level` within this series of parent_level (drill-down; `level` must nest in parent_level) */
                    parent?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The level listed */
                            level: string;
                            /** @description Every level of the data, the bottom series first */
                            levels: {
                                /** @description "total", or the level's columns joined by "/" ("store_id/dept_id") */
                                label: string;
                                columns: string[];
                                /** @description True for the bottom series (the series key's level): the ones models are trained on */
                                bottom: boolean;
                                /** @description How many series the level has */
                                series: number;
                                /** @description The level a series of this one drills down to: the first later level of data.hierarchy (the bottom series last) whose series each lie within one of this level's; null at the bottom */
                                child_level: string | null;
                            }[];
                            search: string;
                            /** @description The parent's level when the list is a series' children */
                            parent_level: string | null;
                            /** @description The series whose children are listed, or null */
                            parent: string | null;
                            page: number;
                            page_size: number;
                            /** @description Series of the level matching the search, on all pages */
                            total_count: number;
                            /** @description This page, in natural name order (CA_2 before CA_10) */
                            series: {
                                /** @description The name GET /api/series/{name} and POST /api/predict/{name} take (percent-encoded in a URL: "CA_1/FOODS_3_090" is CA_1%2FFOODS_3_090) */
                                name: string;
                                /** @description The level's column values, in the order of its columns */
                                parts: string[];
                                level: string;
                                /** @description First period with data, YYYY-MM-DD */
                                first_date: string;
                                /** @description Last period with data, YYYY-MM-DD */
                                last_date: string;
                                /** @description Periods from first_date to last_date */
                                periods: number;
                                /** @description Sum of the recorded sales */
                                total: number;
                                /** @description A bottom series with a registered model (GET /api/forecast/{name} answers); false for aggregates */
                                has_model: boolean;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/forecasts/{level}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every series' forecast of one hierarchy level, with intervals, as CSV or Parquet (the catalogue model)
         * @description Columns: level, series, date, forecast, and `lo_<L>`, `hi_<L>` per interval level (when the model was trained with catalogue.evaluate). The level is a label of data.hierarchy ("total", "store_id", "store_id/item_id": percent-encode the "/" as %2F).
         */
        get: {
            parameters: {
                query?: {
                    /** @description csv (default) or parquet */
                    format?: "csv" | "parquet";
                    /** @description Registry version number or alias (default: champion, else latest) */
                    version?: string;
                    /** @description Only these series of the level, in this order (repeat the parameter: series=CA_1&series=TX_2; at most 500). Default: every series of the level. */
                    series?: string | string[];
                };
                header?: never;
                path: {
                    /** @description A level label of the catalogue model */
                    level: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The level's forecasts: `text/csv` or `application/vnd.apache.parquet` */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The data's frequency, currency, default category and the training settings a request may change */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description data.item_id: the category POST /api/predict and POST /api/train use by default */
                            default_category: string;
                            /**
                             * @description data.frequency: D = one value per day, W = per week (dates are each period's first day)
                             * @enum {string}
                             */
                            frequency: "D" | "W";
                            /** @description app.currency: ISO 4217 code of the sales amounts, or null when they are plain numbers */
                            currency: string | null;
                            /** @description The values POST /api/train uses unless its "overrides" change them */
                            training: {
                                window_size: number;
                                max_epochs: number;
                                seed: number;
                                architecture: string;
                                /** @description The values model.architecture accepts */
                                architectures: string[];
                                features: {
                                    day_of_week: boolean;
                                    month: boolean;
                                };
                                limits: {
                                    /** @description Smallest data.window_size the configuration accepts */
                                    min_window_size: number;
                                    /** @description Most epochs a request may ask for */
                                    max_epochs: number;
                                };
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/train": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Train categories (202 with a job id at once; ?wait=true answers when done) */
        post: {
            parameters: {
                query?: {
                    /** @description true: answer when the job ends, in the reference's shape (200 {status, trained}) */
                    wait?: "true" | "false" | "1" | "0";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Default: [data.item_id] */
                        categories?: string[];
                        /** @description Tracking experiment (default train.experiment_name); no control characters, not blank */
                        experiment_name?: string;
                        /** @description Settings for this job only, over the server's configuration (same keys and rules as config.yaml); e.g. {"train": {"max_epochs": 5, "seed": 7}, "data": {"window_size": 28}, "model": {"features": {"day_of_week": true}}} */
                        overrides?: {
                            data?: {
                                /** @description Input length in periods (data.window_size, at least 3) */
                                window_size?: number;
                            };
                            model?: {
                                /** @description model.architecture: CNNLSTM, auto, cnn_lstm, naive, seasonal_naive, moving_average, holt_winters, ets, gbdt, global_network, theta, arima, croston, sba, tsb, intermittent, mstl, ensemble */
                                architecture?: string;
                                features?: {
                                    /** @description Day-of-week input channels (model.features.day_of_week) */
                                    day_of_week?: boolean;
                                    /** @description Month input channels (model.features.month) */
                                    month?: boolean;
                                };
                            };
                            train?: {
                                /** @description Epochs (train.max_epochs; at most 1000 through the API) */
                                max_epochs?: number;
                                /** @description Seed of the weights and the shuffling (train.seed, at least 0) */
                                seed?: number;
                            };
                        };
                        /** @description true: model.architecture auto for this job (a tournament per category picks the model; the same as overrides.model.architecture = auto) */
                        auto?: boolean;
                    };
                };
            };
            responses: {
                /** @description ?wait=true: the reference's answer, plus the job id and per-category results */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "success";
                            trained: string[];
                            skipped?: {
                                category?: string;
                                reason?: string;
                            }[];
                            job_id?: string;
                            results?: {
                                category: string;
                                /** @enum {string} */
                                status: "ok" | "skipped" | "failed";
                                /** @description The model kind trained (model.architecture), when one was */
                                model: string | null;
                                /** @description Why the category was skipped or failed, or why its new model is not served */
                                reason: string | null;
                                /** @description Set when the new model was registered but is not served (absurd validation errors) */
                                held_back: string | null;
                                /** @description Registry version of the new model */
                                version: number | null;
                                run_id: string | null;
                                epochs: number;
                                best_epoch: number;
                                seconds: number;
                                /** @description The model on the validation part, sales units */
                                metrics: {
                                    rmse: number | null;
                                    mae: number | null;
                                    smape: number | null;
                                    mase: number | null;
                                } | null;
                                /** @description naive, seasonal_naive, moving_average */
                                baselines: {
                                    [key: string]: {
                                        rmse: number | null;
                                        mae: number | null;
                                        smape: number | null;
                                        mase: number | null;
                                    };
                                } | null;
                                test_metrics: {
                                    rmse: number | null;
                                    mae: number | null;
                                    smape: number | null;
                                    mase: number | null;
                                } | null;
                                /** @description With model.architecture auto: the tournament's champion, why it won, its MASE on the evaluation windows, and whether it took the alias champion or challenger */
                                auto: {
                                    champion: string;
                                    reason: string;
                                    evaluation_mase: number | null;
                                    /** @enum {string} */
                                    decision: "champion" | "challenger";
                                    comparison: string;
                                } | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job_id: string;
                            /** @enum {string} */
                            state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            categories: string[];
                            experiment_name: string;
                            /** @description The settings this job changes (as sent) */
                            overrides: {
                                data?: {
                                    /** @description Input length in periods (data.window_size, at least 3) */
                                    window_size?: number;
                                };
                                model?: {
                                    /** @description model.architecture: CNNLSTM, auto, cnn_lstm, naive, seasonal_naive, moving_average, holt_winters, ets, gbdt, global_network, theta, arima, croston, sba, tsb, intermittent, mstl, ensemble */
                                    architecture?: string;
                                    features?: {
                                        /** @description Day-of-week input channels (model.features.day_of_week) */
                                        day_of_week?: boolean;
                                        /** @description Month input channels (model.features.month) */
                                        month?: boolean;
                                    };
                                };
                                train?: {
                                    /** @description Epochs (train.max_epochs; at most 1000 through the API) */
                                    max_epochs?: number;
                                    /** @description Seed of the weights and the shuffling (train.seed, at least 0) */
                                    seed?: number;
                                };
                            };
                            links: {
                                self: string;
                                events: string;
                            };
                        };
                    };
                };
                /** @description Error */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/train_all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Train every category in the data (202 with a job id; ?wait=true answers when done) */
        post: {
            parameters: {
                query?: {
                    /** @description true: answer when the job ends, in the reference's shape (200 {status, trained}) */
                    wait?: "true" | "false" | "1" | "0";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description Tracking experiment (default train.experiment_name); no control characters, not blank */
                        experiment_name?: string;
                        /** @description Settings for this job only, over the server's configuration (same keys and rules as config.yaml); e.g. {"train": {"max_epochs": 5, "seed": 7}, "data": {"window_size": 28}, "model": {"features": {"day_of_week": true}}} */
                        overrides?: {
                            data?: {
                                /** @description Input length in periods (data.window_size, at least 3) */
                                window_size?: number;
                            };
                            model?: {
                                /** @description model.architecture: CNNLSTM, auto, cnn_lstm, naive, seasonal_naive, moving_average, holt_winters, ets, gbdt, global_network, theta, arima, croston, sba, tsb, intermittent, mstl, ensemble */
                                architecture?: string;
                                features?: {
                                    /** @description Day-of-week input channels (model.features.day_of_week) */
                                    day_of_week?: boolean;
                                    /** @description Month input channels (model.features.month) */
                                    month?: boolean;
                                };
                            };
                            train?: {
                                /** @description Epochs (train.max_epochs; at most 1000 through the API) */
                                max_epochs?: number;
                                /** @description Seed of the weights and the shuffling (train.seed, at least 0) */
                                seed?: number;
                            };
                        };
                        /** @description true: model.architecture auto for this job (a tournament per category picks the model; the same as overrides.model.architecture = auto) */
                        auto?: boolean;
                    };
                };
            };
            responses: {
                /** @description ?wait=true: the reference's answer, plus the job id and per-category results */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "success";
                            trained: string[];
                            skipped?: {
                                category?: string;
                                reason?: string;
                            }[];
                            job_id?: string;
                            results?: {
                                category: string;
                                /** @enum {string} */
                                status: "ok" | "skipped" | "failed";
                                /** @description The model kind trained (model.architecture), when one was */
                                model: string | null;
                                /** @description Why the category was skipped or failed, or why its new model is not served */
                                reason: string | null;
                                /** @description Set when the new model was registered but is not served (absurd validation errors) */
                                held_back: string | null;
                                /** @description Registry version of the new model */
                                version: number | null;
                                run_id: string | null;
                                epochs: number;
                                best_epoch: number;
                                seconds: number;
                                /** @description The model on the validation part, sales units */
                                metrics: {
                                    rmse: number | null;
                                    mae: number | null;
                                    smape: number | null;
                                    mase: number | null;
                                } | null;
                                /** @description naive, seasonal_naive, moving_average */
                                baselines: {
                                    [key: string]: {
                                        rmse: number | null;
                                        mae: number | null;
                                        smape: number | null;
                                        mase: number | null;
                                    };
                                } | null;
                                test_metrics: {
                                    rmse: number | null;
                                    mae: number | null;
                                    smape: number | null;
                                    mase: number | null;
                                } | null;
                                /** @description With model.architecture auto: the tournament's champion, why it won, its MASE on the evaluation windows, and whether it took the alias champion or challenger */
                                auto: {
                                    champion: string;
                                    reason: string;
                                    evaluation_mase: number | null;
                                    /** @enum {string} */
                                    decision: "champion" | "challenger";
                                    comparison: string;
                                } | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job_id: string;
                            /** @enum {string} */
                            state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            categories: string[];
                            experiment_name: string;
                            /** @description The settings this job changes (as sent) */
                            overrides: {
                                data?: {
                                    /** @description Input length in periods (data.window_size, at least 3) */
                                    window_size?: number;
                                };
                                model?: {
                                    /** @description model.architecture: CNNLSTM, auto, cnn_lstm, naive, seasonal_naive, moving_average, holt_winters, ets, gbdt, global_network, theta, arima, croston, sba, tsb, intermittent, mstl, ensemble */
                                    architecture?: string;
                                    features?: {
                                        /** @description Day-of-week input channels (model.features.day_of_week) */
                                        day_of_week?: boolean;
                                        /** @description Month input channels (model.features.month) */
                                        month?: boolean;
                                    };
                                };
                                train?: {
                                    /** @description Epochs (train.max_epochs; at most 1000 through the API) */
                                    max_epochs?: number;
                                    /** @description Seed of the weights and the shuffling (train.seed, at least 0) */
                                    seed?: number;
                                };
                            };
                            links: {
                                self: string;
                                events: string;
                            };
                        };
                    };
                };
                /** @description Error */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Training jobs, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jobs: {
                                id: string;
                                /** @enum {string} */
                                kind: "train" | "train_all";
                                /** @enum {string} */
                                state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                                categories: string[];
                                experiment_name: string;
                                /** @description Settings the job changes over the server's configuration, as sent ({} for none) */
                                overrides: {
                                    data?: {
                                        /** @description Input length in periods (data.window_size, at least 3) */
                                        window_size?: number;
                                    };
                                    model?: {
                                        /** @description model.architecture: CNNLSTM, auto, cnn_lstm, naive, seasonal_naive, moving_average, holt_winters, ets, gbdt, global_network, theta, arima, croston, sba, tsb, intermittent, mstl, ensemble */
                                        architecture?: string;
                                        features?: {
                                            /** @description Day-of-week input channels (model.features.day_of_week) */
                                            day_of_week?: boolean;
                                            /** @description Month input channels (model.features.month) */
                                            month?: boolean;
                                        };
                                    };
                                    train?: {
                                        /** @description Epochs (train.max_epochs; at most 1000 through the API) */
                                        max_epochs?: number;
                                        /** @description Seed of the weights and the shuffling (train.seed, at least 0) */
                                        seed?: number;
                                    };
                                };
                                created_at: string;
                                started_at: string | null;
                                finished_at: string | null;
                                /** @description Per category: epoch, batch and losses so far */
                                progress: {
                                    category: string;
                                    /** @enum {string} */
                                    state: "pending" | "training" | "done";
                                    epoch: number;
                                    max_epochs: number;
                                    batch: number;
                                    batches: number;
                                    loss: number | null;
                                    train_loss: number | null;
                                    val_loss: number | null;
                                }[];
                                /** @description Per category, as soon as that category has finished (in the order of categories) */
                                results: {
                                    category: string;
                                    /** @enum {string} */
                                    status: "ok" | "skipped" | "failed";
                                    /** @description The model kind trained (model.architecture), when one was */
                                    model: string | null;
                                    /** @description Why the category was skipped or failed, or why its new model is not served */
                                    reason: string | null;
                                    /** @description Set when the new model was registered but is not served (absurd validation errors) */
                                    held_back: string | null;
                                    /** @description Registry version of the new model */
                                    version: number | null;
                                    run_id: string | null;
                                    epochs: number;
                                    best_epoch: number;
                                    seconds: number;
                                    /** @description The model on the validation part, sales units */
                                    metrics: {
                                        rmse: number | null;
                                        mae: number | null;
                                        smape: number | null;
                                        mase: number | null;
                                    } | null;
                                    /** @description naive, seasonal_naive, moving_average */
                                    baselines: {
                                        [key: string]: {
                                            rmse: number | null;
                                            mae: number | null;
                                            smape: number | null;
                                            mase: number | null;
                                        };
                                    } | null;
                                    test_metrics: {
                                        rmse: number | null;
                                        mae: number | null;
                                        smape: number | null;
                                        mase: number | null;
                                    } | null;
                                    /** @description With model.architecture auto: the tournament's champion, why it won, its MASE on the evaluation windows, and whether it took the alias champion or challenger */
                                    auto: {
                                        champion: string;
                                        reason: string;
                                        evaluation_mase: number | null;
                                        /** @enum {string} */
                                        decision: "champion" | "challenger";
                                        comparison: string;
                                    } | null;
                                }[];
                                error: string | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One job: state, progress per category (epoch, loss), results */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            kind: "train" | "train_all";
                            /** @enum {string} */
                            state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            categories: string[];
                            experiment_name: string;
                            /** @description Settings the job changes over the server's configuration, as sent ({} for none) */
                            overrides: {
                                data?: {
                                    /** @description Input length in periods (data.window_size, at least 3) */
                                    window_size?: number;
                                };
                                model?: {
                                    /** @description model.architecture: CNNLSTM, auto, cnn_lstm, naive, seasonal_naive, moving_average, holt_winters, ets, gbdt, global_network, theta, arima, croston, sba, tsb, intermittent, mstl, ensemble */
                                    architecture?: string;
                                    features?: {
                                        /** @description Day-of-week input channels (model.features.day_of_week) */
                                        day_of_week?: boolean;
                                        /** @description Month input channels (model.features.month) */
                                        month?: boolean;
                                    };
                                };
                                train?: {
                                    /** @description Epochs (train.max_epochs; at most 1000 through the API) */
                                    max_epochs?: number;
                                    /** @description Seed of the weights and the shuffling (train.seed, at least 0) */
                                    seed?: number;
                                };
                            };
                            created_at: string;
                            started_at: string | null;
                            finished_at: string | null;
                            /** @description Per category: epoch, batch and losses so far */
                            progress: {
                                category: string;
                                /** @enum {string} */
                                state: "pending" | "training" | "done";
                                epoch: number;
                                max_epochs: number;
                                batch: number;
                                batches: number;
                                loss: number | null;
                                train_loss: number | null;
                                val_loss: number | null;
                            }[];
                            /** @description Per category, as soon as that category has finished (in the order of categories) */
                            results: {
                                category: string;
                                /** @enum {string} */
                                status: "ok" | "skipped" | "failed";
                                /** @description The model kind trained (model.architecture), when one was */
                                model: string | null;
                                /** @description Why the category was skipped or failed, or why its new model is not served */
                                reason: string | null;
                                /** @description Set when the new model was registered but is not served (absurd validation errors) */
                                held_back: string | null;
                                /** @description Registry version of the new model */
                                version: number | null;
                                run_id: string | null;
                                epochs: number;
                                best_epoch: number;
                                seconds: number;
                                /** @description The model on the validation part, sales units */
                                metrics: {
                                    rmse: number | null;
                                    mae: number | null;
                                    smape: number | null;
                                    mase: number | null;
                                } | null;
                                /** @description naive, seasonal_naive, moving_average */
                                baselines: {
                                    [key: string]: {
                                        rmse: number | null;
                                        mae: number | null;
                                        smape: number | null;
                                        mase: number | null;
                                    };
                                } | null;
                                test_metrics: {
                                    rmse: number | null;
                                    mae: number | null;
                                    smape: number | null;
                                    mase: number | null;
                                } | null;
                                /** @description With model.architecture auto: the tournament's champion, why it won, its MASE on the evaluation windows, and whether it took the alias champion or challenger */
                                auto: {
                                    champion: string;
                                    reason: string;
                                    evaluation_mase: number | null;
                                    /** @enum {string} */
                                    decision: "champion" | "challenger";
                                    comparison: string;
                                } | null;
                            }[];
                            error: string | null;
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-sent events: snapshot, then progress / result / state, then end (the final job) and close */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Server-sent events; each data line is JSON: the job (snapshot, end), progress, a result, or {id, state} */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": {
                            /** @enum {string} */
                            event: "snapshot" | "progress" | "result" | "state" | "end";
                            data: string;
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/actuals/{category}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Actual values of past dates: scores the forecasts served for them (live MASE and interval coverage on /metrics) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A category name exactly as in the data (case-sensitive) */
                    category: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        actuals: {
                            date: string;
                            value: number;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            scored: number;
                            unmatched: number;
                            live: {
                                category: string;
                                /** @description Scored forecasts the live figures are over (the last app.monitor_window) */
                                scored: number;
                                mae: number | null;
                                /** @description Live MASE, on the served versions' own scale (null without one) */
                                mase: number | null;
                                /** @description The same versions' validation MASE, to compare with */
                                validation_mase: number | null;
                                coverage: {
                                    level: number;
                                    coverage: number;
                                    forecasts: number;
                                }[];
                            };
                        };
                    };
                };
                /** @description Error */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/monitoring/{category}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live forecast quality of a category (scored served forecasts) beside its served version's validation MASE */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A category name exactly as in the data (case-sensitive) */
                    category: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            category: string;
                            /** @description The version served now and the MASE it had on its validation part (null when none is served) */
                            served: {
                                version: number;
                                validation_mase: number | null;
                            } | null;
                            live: {
                                category: string;
                                /** @description Scored forecasts the live figures are over (the last app.monitor_window) */
                                scored: number;
                                mae: number | null;
                                /** @description Live MASE, on the served versions' own scale (null without one) */
                                mase: number | null;
                                /** @description The same versions' validation MASE, to compare with */
                                validation_mase: number | null;
                                coverage: {
                                    level: number;
                                    coverage: number;
                                    forecasts: number;
                                }[];
                            };
                            /** @description Dated forecasts recorded and not scored yet (waiting for their actual values) */
                            waiting: number;
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Experiment runs from the tracking store, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Runs of this category (tag item_id) */
                    category?: string;
                    experiment?: string;
                    status?: "RUNNING" | "FINISHED" | "FAILED" | "KILLED";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            store: {
                                /** @enum {string} */
                                kind: "local" | "mlflow";
                                /** @description The MLflow UI (the tracking server's address) when kind is mlflow */
                                ui_url: string | null;
                            };
                            runs: {
                                run_id: string;
                                run_name: string;
                                experiment_id: string;
                                experiment_name: string;
                                /** @enum {string} */
                                status: "RUNNING" | "FINISHED" | "FAILED" | "KILLED";
                                /** @description ms since the epoch */
                                start_time: number;
                                end_time: number | null;
                                tags: {
                                    [key: string]: string;
                                };
                                params: {
                                    [key: string]: string;
                                };
                                /** @description Latest value per key; NaN/Infinity as null */
                                metrics: {
                                    [key: string]: number | null;
                                };
                                artifacts: string[];
                                error: string | null;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One run */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            run_id: string;
                            run_name: string;
                            experiment_id: string;
                            experiment_name: string;
                            /** @enum {string} */
                            status: "RUNNING" | "FINISHED" | "FAILED" | "KILLED";
                            /** @description ms since the epoch */
                            start_time: number;
                            end_time: number | null;
                            tags: {
                                [key: string]: string;
                            };
                            params: {
                                [key: string]: string;
                            };
                            /** @description Latest value per key; NaN/Infinity as null */
                            metrics: {
                                [key: string]: number | null;
                            };
                            artifacts: string[];
                            error: string | null;
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/metrics/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The history of one metric of a run (e.g. train_loss, val_loss by epoch) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            key: string;
                            history: {
                                step: number;
                                value: number | null;
                                timestamp: number;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/artifacts/{*}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One artifact file of a run (local tracking store only) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    "*": string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The file, with the content type of its extension */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/png": string;
                        "image/svg+xml": string;
                        "application/json; charset=utf-8": string;
                        "text/plain; charset=utf-8": string;
                        "text/csv; charset=utf-8": string;
                        "application/octet-stream": string;
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Error */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (text exposition format) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Prometheus text format 0.0.4 */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain; version=0.0.4; charset=utf-8": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Every error: a stable code and a message that says what was wrong and how to fix it. */
        ErrorBody: {
            /** @description snake_case code, e.g. invalid_series_length, unknown_category */
            error: string;
            message: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
