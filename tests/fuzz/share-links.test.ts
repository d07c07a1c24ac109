/**
 * Fuzzes share links (src/app/lib/share.ts `decodeSummary`): the summary of a real run record is
 * damaged as a value (fields deleted, renamed or retyped, numbers NaN or huge, pollution keys,
 * deep nesting) and re-encoded, or the link text itself is damaged (cut short, characters
 * replaced, junk appended, far too long). Decoding must give a summary the share page can show
 * (every field of the right type) or a ShareLinkError, quickly.
 */
import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, test } from 'vitest';
import { dateTime, fmt } from '../../src/app/lib/format.ts';
import { decodeSummary, encodeSummary, ShareLinkError, summarize, type SharedSummary } from '../../src/app/lib/share.ts';
import { fixtureRunRecord } from './fixtures.ts';
import { assertNoPollution, Damaged, fuzzParams, mutatedJsonText, outcomeOf, Tally, type Outcome } from './helpers.ts';

const SUMMARY = summarize(await fixtureRunRecord());
const LINK = encodeSummary(SUMMARY);

/** Link data for any JSON text, encoded as encodeSummary does it. */
function encodeText(text: string): string {
  let s = '';
  for (const b of deflateSync(strToU8(text), { level: 9 })) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** What SharePage.svelte renders from a summary; it must not throw for anything decodeSummary returns. */
function render(s: SharedSummary): string {
  const rows = s.headline.map((h) => `${h.label} ${h.official ? 'official' : ''} ${fmt(h.value)} ${h.low !== undefined ? `${fmt(h.low)} – ${fmt(h.high)}` : ''} ${h.note ?? ''}`);
  const options = s.options ? Object.entries(s.options).map(([k, v]) => `${k} ${v}`).join(' · ') : '';
  return `${s.suite} ${s.model} ${s.mode}, ${s.order} order · ${s.items} questions · ${dateTime(s.createdAt)} ${options} ${rows.join('\n')} ${s.licence} ${s.citation}`;
}

const tally = new Tally();

function check(outcome: Outcome<SharedSummary>): void {
  assertNoPollution();
  tally.add(outcome);
  if (!outcome.ok) return;
  const s = outcome.value;
  for (const k of ['suite', 'model', 'mode', 'order', 'createdAt', 'licence', 'citation'] as const) expect(typeof s[k]).toBe('string');
  expect(Number.isInteger(s.items) && s.items >= 0).toBe(true);
  for (const h of s.headline) {
    expect(typeof h.label).toBe('string');
    expect(h.value === null || Number.isFinite(h.value)).toBe(true);
  }
  expect(typeof render(s)).toBe('string');
}

describe('share links', () => {
  test('the fixture run gives a link that decodes to its summary', () => {
    expect(decodeSummary(LINK)).toEqual(JSON.parse(JSON.stringify(SUMMARY)));
  });

  test('damaged summaries, re-encoded: a summary the page can show, or a ShareLinkError', () => {
    fc.assert(
      fc.property(mutatedJsonText(SUMMARY), (text) => check(outcomeOf([ShareLinkError], () => decodeSummary(encodeText(text.value))))),
      fuzzParams(600),
    );
    tally.expectBoth();
  });

  test('damaged link text: a summary or a ShareLinkError', () => {
    const edit = fc.oneof(
      fc.nat().map((n) => ({ cut: n })),
      fc.tuple(fc.nat(), fc.constantFrom('A', '-', '_', '+', '/', '=', '%', ' ', '#', '\u00e9', '\u0000')).map(([at, ch]) => ({ at, ch })),
      fc.constantFrom('junk', '==', '%3D', 'A'.repeat(20_000)).map((tail) => ({ tail })),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let link = LINK;
        for (const e of edits) {
          if ('cut' in e) link = link.slice(0, e.cut % (link.length + 1));
          else if ('at' in e) {
            const i = e.at % Math.max(1, link.length);
            link = link.slice(0, i) + e.ch + link.slice(i + 1);
          } else link += e.tail;
        }
        check(outcomeOf([ShareLinkError], () => decodeSummary(link)));
      }),
      { ...fuzzParams(600), examples: [[[{ tail: 'A'.repeat(20_000) }]]] },
    );
    // Most damaged links are refused; a few edits (the padding) leave a readable one.
    tally.expectBoth(0.01);
  });

  test('a crafted link that inflates to megabytes is refused before decompressing', () => {
    const bomb = encodeText(`{"v":1,"suite":"${'x'.repeat(20_000_000)}"}`);
    expect(bomb.length).toBeGreaterThan(16_384);
    const started = performance.now();
    expect(() => decodeSummary(bomb)).toThrow(ShareLinkError);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
