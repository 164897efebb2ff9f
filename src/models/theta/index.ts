// The theta family (AutoTheta): standard, optimised and dynamic theta models with classical
// seasonal adjustment. See fit.ts for the procedure and state.ts for the model equations.
export { fitTheta, forecastTheta, THETA_MIN_LENGTH } from "./fit.js";
export { THETA_MODEL_TYPES, type ThetaFit, type ThetaModelType, type ThetaOptions, type ThetaParameters, type ThetaSeasonality } from "./types.js";
