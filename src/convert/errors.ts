/**
 * The one kind of failure `convert` reports to the user: a single message that names the problem and the fix.
 * Anything else escaping the library is a bug and is shown with its stack.
 */
export class ConvertError extends Error {
  override readonly name = 'ConvertError';
}

export function fail(message: string): never {
  throw new ConvertError(message);
}
