import unittest

import bundle_fixtures
from pluralscope_bundle.weights import check_manifest_tiers, sample_weights, scaled_tier_weights, tier_of, tier_weights

BUNDLE_ROOT = bundle_fixtures.ROOT  # importing bundle_fixtures puts the bundle on sys.path

# FAIR-SP paper, Table 7 (segment 6): sample counts per tier and the published weights.
TABLE7_N = [6193, 2350, 1350, 1506, 5181, 3083, 3088]
TABLE7_W = [0.015, 0.077, 0.201, 0.240, 0.087, 0.176, 0.205]


class TierWeightTest(unittest.TestCase):
    def test_table7_vector(self):
        weights = tier_weights(TABLE7_N)
        self.assertEqual(list(weights), [1, 2, 3, 4, 5, 6, 7])
        for tier, expected in zip(range(1, 8), TABLE7_W):
            self.assertAlmostEqual(weights[tier], expected, delta=5e-4, msg=f"tier {tier}")
        self.assertAlmostEqual(sum(weights.values()), 1.0, places=12)

    def test_formula(self):
        weights = tier_weights({1: 10, 7: 5})
        denominator = 1 / 10 + 7 / 5
        self.assertAlmostEqual(weights[1], (1 / 10) / denominator)
        self.assertAlmostEqual(weights[7], (7 / 5) / denominator)

    def test_missing_tiers_are_skipped(self):
        self.assertEqual(set(tier_weights([5, 0, 0, 0, 0, 0, 5])), {1, 7})
        with self.assertRaises(ValueError):
            tier_weights([0] * 7)

    def test_tier_of(self):
        self.assertEqual(tier_of("A", ["A"] * 6), 1)
        self.assertEqual(tier_of("A", ["B"] * 6), 7)
        self.assertEqual(tier_of(0, [0, 1, 1, 0, 2, 0]), 4)
        with self.assertRaises(ValueError):
            tier_of("A", ["A"] * 5)

    def test_sample_weights_mean_one_and_ratios_kept(self):
        tiers = [t for t, n in zip(range(1, 8), TABLE7_N) for _ in range(n)]
        weights = sample_weights(tiers)
        self.assertAlmostEqual(sum(weights) / len(weights), 1.0, places=9)
        raw = tier_weights(TABLE7_N)
        scaled = scaled_tier_weights(TABLE7_N)
        for tier in range(2, 8):
            self.assertAlmostEqual(scaled[tier] / scaled[1], raw[tier] / raw[1], places=9)
        self.assertAlmostEqual(weights[0], scaled[1], places=12)
        self.assertAlmostEqual(weights[-1], scaled[7], places=12)

    def test_manifest_cross_check(self):
        counts = {1: 3, 7: 1}
        scaled = scaled_tier_weights(counts)
        records = [{"tier": 1, "weight": scaled[1]}] * 3 + [{"tier": 7, "weight": scaled[7]}]
        raw = tier_weights(counts)
        self.assertEqual(check_manifest_tiers(records, {"1": {"count": 3, "weight": raw[1]}, "7": {"count": 1, "weight": raw[7]}}), [])
        self.assertEqual(check_manifest_tiers(records, {"1": {"count": 3, "weight": scaled[1]}, "7": {"count": 1, "weight": scaled[7]}}), [])
        problems = check_manifest_tiers(records, {"1": {"count": 2, "weight": raw[1]}, "7": {"count": 1, "weight": raw[7]}})
        self.assertTrue(any("tier 1: manifest count 2" in p for p in problems))
        problems = check_manifest_tiers(records, {"1": {"count": 3, "weight": 0.9}, "7": {"count": 1, "weight": raw[7]}})
        self.assertTrue(any("matches neither" in p for p in problems))


if __name__ == "__main__":
    unittest.main()
