/**
 * Lambda's configuration limits for a function's timeout and memory size, one place for the CLI (which refuses
 * bad values with a usage message) and the library (which throws), so that nothing Lambda would reject runs
 * locally, and no timeout reaches setTimeout beyond its 32-bit range (it would fire at once).
 */

export const TIMEOUT_LIMITS = { min: 1, max: 900, unit: 's' } as const;
export const MEMORY_LIMITS = { min: 128, max: 10_240, unit: 'MB' } as const;

/** A value Lambda's configuration would refuse; the message names the flag's value, the range and the fix. */
export class LimitError extends Error {}

interface Limit {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
}

function check(what: string, limit: Limit, value: number, shown: string): number {
  if (!Number.isFinite(value) || !Number.isInteger(value)) {
    throw new LimitError(
      `${what} ${shown}: expected a whole number of ${limit.unit === 's' ? 'seconds' : 'MB'} from ${limit.min} to ${limit.max}`,
    );
  }
  if (value < limit.min || value > limit.max) {
    throw new LimitError(
      `${what} ${shown}: Lambda allows ${limit.min} to ${limit.max} ${limit.unit}; choose a value in that range`,
    );
  }
  return value;
}

/** Lambda's function timeout: whole seconds, 1 to 900. */
export function checkTimeoutSeconds(value: number, what = 'timeout', shown = String(value)): number {
  return check(what, TIMEOUT_LIMITS, value, shown);
}

/** Lambda's memory size: whole MB, 128 to 10,240. */
export function checkMemoryMb(value: number, what = 'memory', shown = String(value)): number {
  return check(what, MEMORY_LIMITS, value, shown);
}
