/** Bytes written to a growing buffer: the CSV and JSON writers build their documents in it. */
const ZERO = 48;
const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** Bytes written to a growing buffer; callers reserve room before they write. */
export class ByteWriter {
  out: Uint8Array;
  at = 0;
  private readonly encoder = new TextEncoder();

  constructor(bytes = 1 << 16) {
    this.out = new Uint8Array(bytes);
  }

  /** What is written so far, and a fresh buffer for what comes next (for writing in chunks). */
  take(): Uint8Array {
    const written = this.out.subarray(0, this.at);
    this.out = new Uint8Array(this.out.length);
    this.at = 0;
    return written;
  }

  /**
   * What is written so far, as a view that the next write overwrites: writing goes on from the
   * start of the same buffer (for chunks that are sent on before the next is written).
   */
  restart(): Uint8Array {
    const written = this.out.subarray(0, this.at);
    this.at = 0;
    return written;
  }

  reserve(bytes: number): void {
    if (this.at + bytes <= this.out.length) return;
    let size = this.out.length * 2;
    while (size < this.at + bytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.out.subarray(0, this.at));
    this.out = grown;
  }

  bytes(b: Uint8Array): void {
    // set() even for a short key: a loop by hand was faster only once V8 had optimized it, and a
    // command-line run writes most of its document before that.
    this.out.set(b, this.at);
    this.at += b.length;
  }

  byte(c: number): void {
    this.out[this.at++] = c;
  }

  /** As `${v}` writes it: plain digits for a whole number of bytes (anything else, as text). */
  number(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) {
      this.bytes(this.encoder.encode(String(v)));
      return;
    }
    let digits = 1;
    for (let p = 10; p <= v; p *= 10) digits++;
    const out = this.out;
    let x = v;
    for (let i = this.at + digits - 1; i >= this.at; i--) {
      const q = Math.floor(x / 10);
      out[i] = ZERO + (x - q * 10);
      x = q;
    }
    this.at += digits;
  }

  /** `0x` and lower-case hex without leading zeros, as addressHex writes it. */
  address(hi: number, lo: number): void {
    const out = this.out;
    out[this.at++] = ZERO;
    out[this.at++] = 120; // x
    if (hi !== 0) {
      this.hex(hi, false);
      this.hex(lo, true);
    } else this.hex(lo, false);
  }

  private hex(v: number, padded: boolean): void {
    let shift = 28;
    if (!padded) while (shift > 0 && v >>> shift === 0) shift -= 4;
    for (; shift >= 0; shift -= 4) this.out[this.at++] = HEX[(v >>> shift) & 15]!;
  }
}
