/**
 * Share links carry a run's summary in the URL fragment (compressed JSON), so sharing needs no
 * server: the fragment is never sent to any server, and it holds only the headline numbers,
 * the suite, the model reference and the data's licence and citation; never items, keys or tokens.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import type { RunRecord } from '../../core/record/schema.ts';
import type { SuiteMetrics } from '../../suites/suite.ts';

export interface SharedSummary {
  v: 1;
  suite: string;
  model: string;
  mode: string;
  order: string;
  items: number;
  createdAt: string;
  licence: string;
  citation: string;
  /** The suite options the run was made with (country, split, keep, ...): what the numbers are of. */
  options?: Record<string, string | number | boolean>;
  headline: Array<{ label: string; value: number | null; low?: number; high?: number; official?: boolean; note?: string }>;
}

export function summarize(record: RunRecord): SharedSummary {
  const metrics = record.metrics as SuiteMetrics | undefined;
  return {
    v: 1,
    suite: record.suite.id,
    model: record.model.kind === 'endpoint' ? `endpoint model ${record.model.id}` : record.model.ref,
    mode: record.scoring.mode,
    order: record.scoring.order,
    items: record.items.length,
    createdAt: record.createdAt,
    licence: record.suite.data.licence,
    citation: record.suite.data.citation,
    options: Object.fromEntries(Object.entries(record.suite.options).filter(([, v]) => v !== '' && ['string', 'number', 'boolean'].includes(typeof v))) as SharedSummary['options'],
    headline: (metrics?.headline ?? []).map((h) => ({
      label: h.label,
      value: h.value,
      ...(h.low !== undefined ? { low: h.low, high: h.high } : {}),
      ...(h.official ? { official: true } : {}),
      ...(h.note ? { note: h.note } : {}),
    })),
  };
}

const toBase64Url = (bytes: Uint8Array) => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const fromBase64Url = (text: string) => {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
};

export function encodeSummary(summary: SharedSummary): string {
  return toBase64Url(deflateSync(strToU8(JSON.stringify(summary)), { level: 9 }));
}

export class ShareLinkError extends Error {
  override name = 'ShareLinkError';
}

/**
 * Longest link data read: a summary is about 1-2 KB of base64. Deflate expands up to ~1000x, so
 * without a bound a long crafted link would make the page decompress gigabytes.
 */
export const MAX_SHARE_DATA = 16_384;

export function decodeSummary(data: string): SharedSummary {
  if (data.length > MAX_SHARE_DATA) throw new ShareLinkError('This share link is too long to be a Pluralscope run summary');
  let value: unknown;
  try {
    value = JSON.parse(strFromU8(inflateSync(fromBase64Url(data))));
  } catch {
    throw new ShareLinkError('This share link is damaged (it may have been cut short when it was copied)');
  }
  const s = value as Partial<SharedSummary>;
  if (!s || s.v !== 1 || typeof s.suite !== 'string' || !Array.isArray(s.headline)) {
    throw new ShareLinkError('This share link does not hold a Pluralscope run summary');
  }
  // Every field the page shows is checked: a link is anyone's text, and a number where a
  // string belongs (or an object) would break the page or show nonsense.
  const texts = ['model', 'mode', 'order', 'createdAt', 'licence', 'citation'] as const;
  const badText = texts.find((k) => typeof s[k] !== 'string');
  if (badText) throw new ShareLinkError(`This share link's summary is malformed: "${badText}" is not text`);
  if (typeof s.items !== 'number' || !Number.isInteger(s.items) || s.items < 0) throw new ShareLinkError('This share link\'s summary is malformed: "items" is not a count');
  const number = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x));
  for (const h of s.headline as unknown[]) {
    const row = h as Partial<SharedSummary['headline'][number]> | null;
    const ok =
      typeof row === 'object' && row !== null && typeof row.label === 'string' && number(row.value) &&
      (row.low === undefined || number(row.low)) && (row.high === undefined || number(row.high)) && (row.official === undefined || typeof row.official === 'boolean') &&
      (row.note === undefined || typeof row.note === 'string');
    if (!ok) throw new ShareLinkError('This share link holds malformed numbers');
  }
  if (s.options !== undefined) {
    const options = s.options as unknown;
    const ok = typeof options === 'object' && options !== null && !Array.isArray(options) && Object.values(options).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
    if (!ok) throw new ShareLinkError('This share link\'s summary is malformed: "options" is not a list of settings');
  }
  return s as SharedSummary;
}

export function shareUrl(summary: SharedSummary, base = `${location.origin}${location.pathname}`): string {
  return `${base}#/share?d=${encodeSummary(summary)}`;
}
