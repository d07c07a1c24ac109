import unittest

import bundle_fixtures
from pluralscope_bundle.labels import (
    average,
    label_distribution,
    labels_for,
    parse_answer,
    parse_fairpp_release,
    single_token_ids,
    to_source_order,
    variant_table,
)

BUNDLE_ROOT = bundle_fixtures.ROOT  # importing bundle_fixtures puts the bundle on sys.path

# A fake byte-level-BPE-like vocabulary: "A" and " A" are single tokens, "B" only without space,
# " C" only with space, "D" none.
VOCAB = {"A": 1, " A": 2, "B": 3, " C": 4}


def fake_encode(text):
    if text in VOCAB:
        return [VOCAB[text]]
    return [99] + [100 + ord(c) for c in text]  # never a single token


class VariantTest(unittest.TestCase):
    def test_single_token_variants_only(self):
        self.assertEqual(single_token_ids(fake_encode, "A"), [1, 2])
        self.assertEqual(single_token_ids(fake_encode, "B"), [3])
        self.assertEqual(single_token_ids(fake_encode, "C"), [4])
        self.assertEqual(single_token_ids(fake_encode, "D"), [])

    def test_variant_table(self):
        self.assertEqual(variant_table(fake_encode, ["A", "B", "C"]), {"A": [1, 2], "B": [3], "C": [4]})
        with self.assertRaises(ValueError):
            variant_table(fake_encode, ["A", "D"])
        with self.assertRaises(ValueError):
            variant_table(lambda s: [7], ["A", "B"])  # both labels on one token

    def test_distribution_mass_and_order(self):
        probs = {1: 0.2, 2: 0.1, 3: 0.1, 4: 0.2}
        table = variant_table(fake_encode, ["A", "B", "C"])
        display, mass = label_distribution(lambda t: probs[t], table, ["A", "B", "C"])
        self.assertAlmostEqual(mass, 0.6)
        for got, want in zip(display, [0.5, 1 / 6, 1 / 3]):
            self.assertAlmostEqual(got, want)
        # display position 0 showed original option 1, position 1 showed option 0, N/A stays last
        self.assertEqual(to_source_order([0.5, 0.3, 0.2], [1, 0, 2]), [0.3, 0.5, 0.2])
        self.assertEqual(label_distribution(lambda t: 0.0, table, ["A", "B", "C"]), (None, 0.0))
        self.assertEqual(average([[1.0, 0.0], [0.0, 1.0]]), [0.5, 0.5])

    def test_labels_for(self):
        self.assertEqual(labels_for(3), ["A", "B", "C"])
        with self.assertRaises(ValueError):
            labels_for(27)


class ParseTest(unittest.TestCase):
    LABELS = ["A", "B", "C"]
    OPTIONS = ["Allocation based on achievements", "Equal allocation", "N/A"]

    def test_answer_tag(self):
        self.assertEqual(parse_answer("x <answer>B</answer>", self.LABELS, self.OPTIONS), 1)
        self.assertEqual(parse_answer("<answer>equal allocation</answer>", self.LABELS, self.OPTIONS), 1)
        self.assertEqual(parse_answer("<answer>C. N/A</answer>", self.LABELS, self.OPTIONS), 2)
        self.assertIsNone(parse_answer("<answer>D</answer>", self.LABELS, self.OPTIONS))
        self.assertIsNone(parse_answer("<answer>something else</answer>", self.LABELS, self.OPTIONS))
        self.assertIsNone(parse_answer("A. <answer></answer>", self.LABELS, self.OPTIONS))

    def test_leading_label(self):
        for text, want in (("A", 0), ("B.", 1), (" C) N/A", 2), ("(B)", 1), ("A: because", 0), ("B\nBecause ...", 1)):
            with self.subTest(text=text):
                self.assertEqual(parse_answer(text, self.LABELS, self.OPTIONS), want)
        for text in ("A person would say B", "I think B.", "", "D.", "b."):
            with self.subTest(text=text):
                self.assertIsNone(parse_answer(text, self.LABELS, self.OPTIONS))

    def test_fairpp_release_rule(self):
        self.assertEqual(parse_fairpp_release("A. Allocation based on achievements", self.LABELS), (0, True))
        self.assertEqual(parse_fairpp_release("B", self.LABELS), (1, True))
        self.assertEqual(parse_fairpp_release("I choose B. Equal", self.LABELS), (1, True))
        self.assertEqual(parse_fairpp_release("Both A. and B. are fair", self.LABELS), (0, True))  # A is tested first
        self.assertEqual(parse_fairpp_release("C", self.LABELS), (2, True))
        self.assertEqual(parse_fairpp_release("I cannot answer", self.LABELS), (2, False))
        self.assertEqual(parse_fairpp_release("", self.LABELS), (2, False))
        # Not stripped, as in the release: surrounding white space makes "A" unreadable.
        self.assertEqual(parse_fairpp_release(" A", self.LABELS), (2, False))
        self.assertEqual(parse_fairpp_release("B\n", self.LABELS), (2, False))
        self.assertEqual(parse_fairpp_release("\nB. Equal", self.LABELS), (1, True))


if __name__ == "__main__":
    unittest.main()
