/**
 * A registry version's model files that cannot be used: model.json edited or damaged, a file
 * beside it missing or changed, a state this salescast cannot read. The message names the file
 * and says what to do (retrain, restore the file, or use the salescast that wrote it).
 */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelFileError";
  }
}
