import type { Address } from './model';

/** Addresses are hex strings on the wire; arithmetic on them is done in bigint. */

export function parseAddress(hex: Address): bigint {
  return BigInt(hex);
}

export function formatAddress(value: bigint): Address {
  return `0x${value.toString(16)}`;
}

/** A hex address padded to 12 digits (the user range) for aligned columns: 0x7ffd3a2b1000. */
export function displayAddress(hex: Address | null): string {
  if (hex === null) return '';
  const digits = hex.slice(2);
  return `0x${digits.padStart(12, '0')}`;
}

/**
 * Reads what a person types as an address: `7ffd1000`, `0x7FFD1000`, `7ffd_1000`, `0x7ffd'1000`.
 * Returns null for anything else.
 */
export function parseUserAddress(text: string): bigint | null {
  const cleaned = text.trim().toLowerCase().replace(/[_'`]/g, '');
  const digits = cleaned.startsWith('0x') ? cleaned.slice(2) : cleaned;
  if (!/^[0-9a-f]{1,16}$/.test(digits)) return null;
  return BigInt(`0x${digits}`);
}
