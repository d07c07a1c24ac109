/** SHA-256 in every runtime (synchronous, streaming): item ids, prompt hashes, file hashes. */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export function sha256Hex(data: string | Uint8Array): string {
  return bytesToHex(sha256(typeof data === 'string' ? utf8ToBytes(data) : data));
}

/** Incremental hashing for files read in chunks. */
export function createSha256(): { update(chunk: Uint8Array): void; hex(): string } {
  const h = sha256.create();
  return {
    update: (chunk) => void h.update(chunk),
    hex: () => bytesToHex(h.digest()),
  };
}

/** JSON with sorted keys, so equal values hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
