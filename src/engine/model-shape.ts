// The CNN+LSTM's shape, on its own so that the backend interface, the initialisation and the
// model can all name it without importing each other.

export interface ModelShape {
  windowSize: number;
  inputSize: number;
  convChannels: number;
  lstmHidden: number;
  lstmLayers: number;
  outputSize: number;
}

export type Precision = "float32" | "float64";
