import { describe, expect, it } from 'vitest';
import { fairPpLandscape } from '../../src/app/lib/fair-pp-landscape.ts';

const segments = [
  { segment: 'S1', segmentPool: [0.5, 0.3, 0.2] },
  { segment: 'S2', segmentPool: [0.2, 0.6, 0.2] },
  { segment: 'S3', segmentPool: [0, 0, 0] }, // no anchors: left out
  { segment: 'S4', segmentPool: [0.4, 0.4, 0.2] },
];
const peers = [
  { label: 'P1', modelPool: [0.1, 0.1, 0.8] },
  { label: 'P2', modelPool: [0, 0, 0] }, // no answers: left out
];

describe('FAIR-SP landscape wiring', () => {
  it('lays out the segments, this model and the peers, in that order, without empty pools', () => {
    const l = fairPpLandscape({ segments, modelLabel: 'me', modelPool: [0.7, 0.2, 0.1], peers })!;
    expect(l.rows.map((r) => [r.label, r.kind])).toEqual([
      ['S1', 'segment'],
      ['S2', 'segment'],
      ['S4', 'segment'],
      ['me', 'this model'],
      ['P1', 'other model'],
    ]);
    // NumPy/SciPy reference: D[i][j] = scipy.spatial.distance.jensenshannon(p_i, p_j) (natural
    // log) over the five pools in the order above; B = -1/2 J D^2 J; numpy.linalg.eigh; the two
    // largest eigenvalues' vectors times sqrt(lambda), each flipped so its largest-|value| entry is
    // positive (cMDS's documented convention). Eigenvalues 1.70145416e-01, 6.27800993e-02,
    // 2.35767606e-03, 2.84292435e-05, ~0: share = (l1 + l2) / sum of the positive ones.
    const expected = [
      [-0.08549414616869659, -0.03627217210763699],
      [-0.020310888325278453, 0.1921954050009852],
      [-0.07179845327580969, 0.041817721096249115],
      [-0.17718426811284832, -0.13903196915200672],
      [0.354787755882633, -0.05870898483759055],
    ];
    l.rows.forEach((r, i) => {
      expect(r.x).toBeCloseTo(expected[i]![0]!, 10);
      expect(r.y).toBeCloseTo(expected[i]![1]!, 10);
    });
    expect(l.explained).toBeCloseTo(0.9898598067454722, 10);
  });

  it('shows all the variance with three points (a triangle is planar)', () => {
    // NumPy: the third eigenvalue of B for these three pools is ~1e-17, so the share is 1.
    const l = fairPpLandscape({ segments: segments.slice(0, 2), modelLabel: 'me', modelPool: [0.7, 0.2, 0.1], peers: [] })!;
    expect(l.rows.map((r) => r.label)).toEqual(['S1', 'S2', 'me']);
    expect(l.explained).toBeCloseTo(1, 10);
  });

  it('is null with fewer than three points that have answers', () => {
    expect(fairPpLandscape({ segments: segments.slice(0, 1), modelLabel: 'me', modelPool: [0.7, 0.2, 0.1], peers: [] })).toBeNull();
    // Three given, but the model has no answers yet.
    expect(fairPpLandscape({ segments: segments.slice(0, 2), modelLabel: 'me', modelPool: [0, 0, 0], peers: [] })).toBeNull();
    // The peers count towards the three.
    expect(fairPpLandscape({ segments: segments.slice(0, 1), modelLabel: 'me', modelPool: [0.7, 0.2, 0.1], peers: peers.slice(0, 1) })).not.toBeNull();
  });
});
