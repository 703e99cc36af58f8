/** Finds a byte string in a stream of chunks, across chunk boundaries, holding only the last few bytes. */
export class NeedleScanner {
  private readonly needle: Buffer;
  private tail = Buffer.alloc(0);
  found = false;

  constructor(needle: string) {
    this.needle = Buffer.from(needle, 'latin1');
  }

  take(chunk: Uint8Array): void {
    if (this.found) return;
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const keep = this.needle.length - 1;
    // A match that starts in the previous chunk's tail, then one wholly inside this chunk.
    const seam = Buffer.concat([this.tail, bytes.subarray(0, keep)]);
    this.found = seam.includes(this.needle) || bytes.includes(this.needle);
    const last = bytes.length >= keep ? bytes : Buffer.concat([this.tail, bytes]);
    this.tail = Buffer.from(last.subarray(last.length - keep));
  }
}
