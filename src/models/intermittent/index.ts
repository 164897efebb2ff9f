// Intermittent demand: Croston, SBA, optimised Croston and TSB, and the ADI/CV² classification
// that says when to use them.
export { ADI_CUTOFF, classifyDemand, CV2_CUTOFF, type DemandCategory, type DemandClassification } from "./classify.js";
export { fitIntermittent, forecastIntermittent, INTERMITTENT_METHODS, type IntermittentFit, type IntermittentMethod, type IntermittentOptions } from "./fit.js";
