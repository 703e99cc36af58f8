/**
 * Execution environments as Lambda scales them: one warm runtime per concurrent request, up to a limit, each
 * serving one invocation at a time; beyond the limit requests wait their turn (Lambda would throttle; a
 * development server queues). A new build retires every environment: idle ones at once, busy ones when their
 * invocation ends, so the next request cold-starts the new code.
 */
import type { Emulator, InvokeOptions, InvokeResult } from '../emulator/index.js';

export class RuntimePool {
  private readonly idle: Emulator[] = [];
  private readonly generationOf = new Map<Emulator, number>();
  private readonly waiting: Array<{ resolve(e: Emulator): void; reject(error: unknown): void }> = [];
  private generation = 0;
  /** Environments started or starting, busy or idle. */
  private size = 0;
  private closed = false;

  constructor(
    /** Starts an environment for the current build (its runtime starts on the first invocation). */
    private readonly start: () => Promise<Emulator>,
    private readonly limit: number,
  ) {}

  async invoke(payload: Buffer, options: InvokeOptions = {}): Promise<InvokeResult> {
    const emulator = await this.acquire();
    try {
      return await emulator.invoke(payload, options);
    } finally {
      this.release(emulator);
    }
  }

  /** The code changed: no environment of the old build serves another request. */
  retireAll(): void {
    this.generation += 1;
    for (const emulator of this.idle.splice(0)) this.discard(emulator);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0))
      waiter.reject(new Error('the development server is stopping'));
    const all = [...this.generationOf.keys()];
    this.idle.length = 0;
    await Promise.all(all.map((e) => e.close()));
  }

  private async acquire(): Promise<Emulator> {
    if (this.closed) throw new Error('the development server is stopping');
    const ready = this.idle.pop();
    if (ready) return ready;
    if (this.size < this.limit) {
      this.size += 1;
      try {
        const emulator = await this.start();
        this.generationOf.set(emulator, this.generation);
        return emulator;
      } catch (error) {
        this.size -= 1;
        throw error;
      }
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(emulator: Emulator): void {
    if (this.closed) return;
    if (this.generationOf.get(emulator) !== this.generation) {
      this.discard(emulator);
      const waiter = this.waiting.shift();
      if (waiter) this.acquire().then(waiter.resolve, waiter.reject);
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(emulator);
    else this.idle.push(emulator);
  }

  private discard(emulator: Emulator): void {
    this.generationOf.delete(emulator);
    this.size -= 1;
    void emulator.close();
  }
}
