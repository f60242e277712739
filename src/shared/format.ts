/** Formatting shared by the UI and the CLI. Pure: no Node, no DOM. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → "1.5 KiB"; binary units, as VMMap and pmap show sizes. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes === 0) return '0 B';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${sign}${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** An axis tick: a round binary size without trailing zeros, 48 MiB and 1.5 GiB (not 48.0 MiB). */
export function formatBytesTick(bytes: number): string {
  return formatBytes(bytes).replace(/\.(\d*?)0+ /, (_, kept: string) => (kept ? `.${kept} ` : ' '));
}

/** A rate in the same binary units as sizes: 2.00 MiB/min, "0 B/min" for none. */
export function formatBytesPerMinute(bytesPerMinute: number): string {
  return `${formatBytes(bytesPerMinute)}/min`;
}

/**
 * One formatter for every call: toLocaleString builds a new Intl formatter each time, which a
 * scrolling table pays hundreds of times a frame. Made on first use: building it loads ICU's
 * number data, which every CLI command would pay at start-up (this module is in the CLI's entry).
 */
let groupedFormat: Intl.NumberFormat | undefined;
const grouped = (): Intl.NumberFormat => (groupedFormat ??= new Intl.NumberFormat('en-US'));

/** Exact bytes with thin grouping for tooltips: 1234567 → "1,234,567 bytes". */
export function formatExactBytes(bytes: number): string {
  return `${grouped().format(bytes)} bytes`;
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : grouped().format(n);
}

const SIZE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/**
 * A byte count as a person reads it, in the largest binary unit it reaches: 65536 → "64 KiB",
 * 2^40 → "1 TiB", 5000 → "4.88 KiB", 12 → "12 B" (unit symbols read the same in every language).
 * Takes a bigint for sizes up to 2^64-1.
 */
export function formatSize(bytes: bigint | number): string {
  let n = BigInt(bytes);
  if (n < 1024n) return `${n} B`;
  let unit = 0;
  let scale = 1n;
  while (unit < SIZE_UNITS.length - 1 && n >= scale * 1024n) {
    scale *= 1024n;
    unit += 1;
  }
  const whole = n / scale;
  n %= scale;
  const fraction = Number((n * 100n) / scale) / 100;
  const text = (Number(whole) + fraction).toFixed(2).replace(/\.?0+$/, '');
  return `${text} ${SIZE_UNITS[unit]}`;
}
