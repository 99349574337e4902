/** A file that cannot be read. The message is one line: what is wrong and where. */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}
