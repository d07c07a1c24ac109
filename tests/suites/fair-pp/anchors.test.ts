import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src/core/items/item.ts';
import { applyAnchorPack, parseAnchorPack, ANCHOR_PACK_FORMAT, type AnchorPack } from '../../../src/suites/fair-pp/anchors.ts';
import { runCli } from '../../helpers/cli.ts';

const item = (id: string): Item => ({ id, question: 'q', options: ['a', 'b', 'N/A'], fixedTail: 1, meta: {}, refs: {} });
const pack = (items: AnchorPack['items']): AnchorPack => ({
  format: ANCHOR_PACK_FORMAT,
  version: 1,
  suite: 'fair-pp-local',
  segments: [{ id: 'S1', label: 'one' }, { id: 'S2', label: 'two' }],
  provenance: { source: 'import', description: 'hand-made', createdAt: '2026-11-23T00:00:00Z' },
  items,
});

describe('anchor packs', () => {
  it('replaces the anchors of the questions it covers and says how many it covers', () => {
    const p = pack([{ id: 'x', anchors: { S1: [1, 0, 0], S2: [0.2, 0.8, 0] } }]);
    const { items, notes } = applyAnchorPack([item('x'), item('y')], parseAnchorPack(JSON.stringify(p)));
    expect(items).toHaveLength(1);
    expect(items[0]!.refs.anchors).toEqual({ S1: [1, 0, 0], S2: [0.2, 0.8, 0] });
    expect(notes.join(' ')).toMatch(/covers 1 of 2 questions/);
  });

  it.each([
    ['not json', '{', /not JSON/],
    ['another format', JSON.stringify({ format: 'x' }), /not an anchor pack/],
    ['no provenance', JSON.stringify({ ...pack([{ id: 'x', anchors: { S1: [1, 0, 0] } }]), provenance: undefined }), /provenance/],
    ['a distribution that does not sum to 1', JSON.stringify(pack([{ id: 'x', anchors: { S1: [0.5, 0.2, 0] } }])), /item "x", segment S1: the distribution sums to 0.7/],
    ['an unknown segment', JSON.stringify(pack([{ id: 'x', anchors: { S9: [1, 0, 0] } }])), /"S9", which is not among its segments/],
    ['a duplicated item', JSON.stringify(pack([{ id: 'x', anchors: { S1: [1, 0, 0] } }, { id: 'x', anchors: { S1: [1, 0, 0] } }])), /item "x" appears twice/],
  ])('rejects %s with a specific message', (_name, text, message) => {
    expect(() => parseAnchorPack(text)).toThrow(message);
  });

  it('rejects a pack whose ids match no question, and one whose option counts differ', () => {
    expect(() => applyAnchorPack([item('y')], pack([{ id: 'x', anchors: { S1: [1, 0, 0] } }]))).toThrow(/mismatched ids: none of the anchor pack's 1 item ids/);
    expect(() => applyAnchorPack([item('x')], pack([{ id: 'x', anchors: { S1: [1, 0] } }]))).toThrow(/gives segment S1 2 options for item "x", which has 3/);
  });

  it('end to end: a role-play run becomes an anchor pack that scores another run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchors-'));
    const env = { PLURALSCOPE_CACHE: join(dir, 'cache') };
    const roleplay = join(dir, 'roleplay.json');
    const r1 = await runCli(['run', '--suite', 'fair-pp-local', '--opt', 'roleplay=uk', '--model', 'synthetic:tiny', '--limit', '70', '--out', roleplay, '--resamples', '0'], env);
    expect(r1.code, r1.stderr).toBe(0);
    const packPath = join(dir, 'pack.json');
    const r2 = await runCli(['anchors', 'from-run', roleplay, '--out', packPath], env);
    expect(r2.code, r2.stderr).toBe(0);
    const made = parseAnchorPack(readFileSync(packPath, 'utf8'));
    expect(made.provenance.source).toBe('roleplay');
    expect(made.provenance.generator?.model).toBe('synthetic:tiny');
    expect(made.segments.map((s) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7']);
    // What it says it wrote is what the pack holds: 70 (question, persona) answers.
    const answers = made.items.reduce((a, i) => a + Object.keys(i.anchors).length, 0);
    const complete = made.items.filter((i) => Object.keys(i.anchors).length === 7).length;
    expect(answers).toBe(70);
    expect(r2.stdout).toContain(`${made.items.length} questions, 70 persona answers; ${complete} of the questions have all 7 personas`);
    if (complete < made.items.length) expect(r2.stderr).toMatch(/--limit counts \(question, persona\) pairs/);
    const scored = join(dir, 'scored.json');
    const r3 = await runCli(['run', '--suite', 'fair-pp-local', '--anchors', packPath, '--model', 'baseline:uniform', '--out', scored, '--resamples', '0'], env);
    expect(r3.code, r3.stderr).toBe(0);
    expect(r3.stdout).toMatch(/Similarity to S1/);
    const record = JSON.parse(readFileSync(scored, 'utf8'));
    expect(record.items.length).toBe(made.items.length);
    // A malformed pack stops the run with the reason and writes nothing.
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...made, items: [{ id: 'x', anchors: { S1: [2, -1] } }] }));
    const r4 = await runCli(['run', '--suite', 'fair-pp-local', '--anchors', join(dir, 'bad.json'), '--model', 'baseline:uniform', '--out', join(dir, 'never.json')], env);
    expect(r4.code).toBe(1);
    expect(r4.stderr).toMatch(/invalid anchor pack/);
    expect(() => readFileSync(join(dir, 'never.json'))).toThrow();
  });
});
