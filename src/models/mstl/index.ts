// MSTL: multiple seasonal decomposition by loess (our own STL, checked against R's stats::stl),
// and forecasts from it. decompose.ts and stl.ts hold the decomposition, trend.ts the
// non-seasonal forecasters of the adjusted series.
export { defaultSeasonalWindows, mstlDecompose, type DecomposeOptions, type MstlDecomposition } from "./decompose.js";
export { decomposeMstl, fitMstl, forecastMstl, MSTL_MIN_LENGTH, type MstlFit, type MstlOptions } from "./fit.js";
export { stl, stlOptions, type StlOptions, type StlResult, type StlStyle } from "./stl.js";
export { autoSmoothingForecaster, BUILT_IN_TREND_FORECASTERS, dampedHoltForecaster, sesForecaster, type TrendFit, type TrendForecaster } from "./trend.js";
