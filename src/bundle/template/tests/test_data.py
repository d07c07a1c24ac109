import json
import os
import tempfile
import unittest

import bundle_fixtures as fx
from pluralscope_bundle.data import (
    BundleDataError,
    check_disjoint,
    check_weight_mean,
    load_manifest,
    load_records,
    verify_files,
)


class DataFormatTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, lines, name="train.jsonl", raw=None):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as handle:
            if raw is not None:
                handle.write(raw)
            else:
                for line in lines:
                    handle.write(json.dumps(line) + "\n")
        return path

    def assertBad(self, fmt, lines, *fragments, raw=None):
        path = self.write(lines, raw=raw)
        with self.assertRaises(BundleDataError) as ctx:
            load_records(path, fmt)
        message = str(ctx.exception)
        for fragment in fragments:
            self.assertIn(fragment, message)
        return message

    # good lines -------------------------------------------------------------------------------
    def test_good_lines_of_every_format(self):
        cases = {
            "sft": [fx.sft_line(1), fx.sft_line(2, "B")],
            "wsft": [fx.sft_line(1, weight=0.5, tier=1), fx.sft_line(2, weight=1.5, tier=7)],
            "dpo": [fx.dpo_line(1), fx.dpo_line(2)],
            "wdpo": [fx.dpo_line(1, weight=1.0, tier=3)],
            "grpo": [fx.grpo_line(1), fx.grpo_line(2, gold=0, frequency=None), fx.grpo_line(3, frequency=1.0)],
            "benchmark": [fx.benchmark_item(1), fx.benchmark_item(2, cyclic=False, system=False)],
        }
        for fmt, lines in cases.items():
            with self.subTest(fmt=fmt):
                self.assertEqual(len(load_records(self.write(lines), fmt)), len(lines))

    def test_weighted_lines_are_also_valid_unweighted(self):
        self.assertEqual(len(load_records(self.write([fx.sft_line(1, weight=1.0, tier=2)]), "sft")), 1)

    # bad lines --------------------------------------------------------------------------------
    def test_missing_field_names_line_and_field(self):
        line = fx.sft_line(2)
        del line["completion"]
        message = self.assertBad("sft", [fx.sft_line(1), line], "train.jsonl:2:", "missing field 'completion'")
        self.assertTrue(message.startswith(os.path.join(self.tmp.name, "train.jsonl")))

    def test_wrong_role(self):
        line = fx.sft_line(1)
        line["completion"][0]["role"] = "user"
        self.assertBad("sft", [line], ":1:", "field 'completion[0].role' must be 'assistant'")

    def test_prompt_must_end_with_user(self):
        line = fx.sft_line(1)
        line["prompt"].append(fx.assistant("hi"))
        self.assertBad("sft", [line], "field 'prompt[2].role' must be 'user'")

    def test_system_only_first(self):
        line = fx.sft_line(1)
        line["prompt"] = [fx.user("x"), fx.SYSTEM, fx.user("y")]
        self.assertBad("sft", [line], "field 'prompt[1].role': a system message may only come first")

    def test_content_must_be_string(self):
        line = fx.sft_line(1)
        line["prompt"][1]["content"] = 5
        self.assertBad("sft", [line], "field 'prompt[1].content' must be a string")

    def test_weighted_needs_weight_and_tier(self):
        self.assertBad("wsft", [fx.sft_line(1, tier=1)], "missing field 'weight'")
        self.assertBad("wsft", [fx.sft_line(1, weight=1.0)], "missing field 'tier'")
        self.assertBad("wsft", [fx.sft_line(1, weight=0, tier=1)], "field 'weight' must be a finite number > 0")
        self.assertBad("wsft", [fx.sft_line(1, weight=True, tier=1)], "field 'weight'")
        self.assertBad("wdpo", [fx.dpo_line(1, weight=1.0, tier=8)], "field 'tier' must be an integer 1..7")

    def test_duplicate_id(self):
        self.assertBad("sft", [fx.sft_line(1), fx.sft_line(1)], ":2:", "duplicate id 'q1' (first on line 1)")

    def test_invalid_json_and_empty_line(self):
        self.assertBad("sft", [], ":1:", "invalid JSON", raw="{not json}\n")
        self.assertBad("sft", [], ":2:", "empty line", raw=json.dumps(fx.sft_line(1)) + "\n\n" + json.dumps(fx.sft_line(2)) + "\n")
        self.assertBad("sft", [], ":1:", "expected a JSON object", raw="[1, 2]\n")

    def test_trailing_blank_lines_are_fine(self):
        path = self.write([], raw=json.dumps(fx.sft_line(1)) + "\n\n\n")
        self.assertEqual(len(load_records(path, "sft")), 1)

    def test_empty_file(self):
        self.assertBad("sft", [], "no records", raw="")
        self.assertEqual(load_records(self.write([], raw=""), "sft", allow_empty=True), [])

    def test_dpo_chosen_equals_rejected(self):
        line = fx.dpo_line(1)
        line["rejected"] = [fx.assistant("A")]
        self.assertBad("dpo", [line], "'chosen' and 'rejected' have the same content")

    def test_dpo_needs_exactly_one_message(self):
        line = fx.dpo_line(1)
        line["chosen"] = [fx.assistant("A"), fx.assistant("A")]
        self.assertBad("dpo", [line], "field 'chosen' must be a list of exactly one assistant message")

    def test_grpo_answers(self):
        line = fx.grpo_line(1)
        line["answer"] = "Maybe"
        self.assertBad("grpo", [line], "field 'answer' must be one of 'options'")
        line = fx.grpo_line(1)
        line["answer_label"] = "A"
        self.assertBad("grpo", [line], "field 'answer_label' 'A' labels 'Very important', not the answer 'Rather important'")
        line = fx.grpo_line(1)
        line["answer_label"] = "E"
        self.assertBad("grpo", [line], "field 'answer_label' must be one of")
        self.assertBad("grpo", [fx.grpo_line(1, frequency=0)], "field 'frequency' must be a number in (0, 1]")
        line = fx.grpo_line(1)
        line["options"] = ["only one"]
        self.assertBad("grpo", [line], "field 'options' must be a list of at least 2")

    def test_benchmark_items(self):
        item = fx.benchmark_item(1)
        item["prompts"][1]["order"] = [0, 0, 2]
        self.assertBad("benchmark", [item], "field 'prompts[1].order' must be a permutation of 0..2")
        item = fx.benchmark_item(1)
        item["prompts"][0]["labels"] = ["1", "2", "3"]
        self.assertBad("benchmark", [item], "field 'prompts[0].labels' must be ['A', 'B', 'C']")
        item = fx.benchmark_item(1)
        item["fixed_tail"] = 4
        self.assertBad("benchmark", [item], "field 'fixed_tail' must be an integer in 0..3")
        item = fx.benchmark_item(1)
        item["meta"]["nested"] = {"a": 1}
        self.assertBad("benchmark", [item], "field 'meta.nested' must be a string, number, boolean or null")
        item = fx.benchmark_item(1)
        item["prompts"][0]["messages"] = []
        self.assertBad("benchmark", [item], "field 'prompts[0].messages' must be a non-empty list of messages")

    # set-level checks -------------------------------------------------------------------------
    def test_weight_mean(self):
        records = [fx.sft_line(1, weight=0.5, tier=1), fx.sft_line(2, weight=1.5, tier=7)]
        self.assertAlmostEqual(check_weight_mean(records, "train.jsonl"), 1.0)
        with self.assertRaises(BundleDataError) as ctx:
            check_weight_mean([fx.sft_line(1, weight=0.5, tier=1)], "train.jsonl")
        self.assertIn("mean of field 'weight'", str(ctx.exception))

    def test_disjoint(self):
        check_disjoint([{"id": "a"}], [{"id": "b"}], "train", "bench")
        with self.assertRaises(BundleDataError):
            check_disjoint([{"id": "a"}], [{"id": "a"}], "train", "bench")


class ManifestTest(unittest.TestCase):
    def test_manifest_and_hashes(self):
        with tempfile.TemporaryDirectory() as root:
            fx.write_bundle(root, "sft", [fx.sft_line(1)], [fx.sft_line(2)], [fx.benchmark_item(1)])
            manifest = load_manifest(os.path.join(root, "manifest.json"))
            self.assertEqual(sorted(verify_files(manifest, root)), sorted(manifest["files"]))
            with open(os.path.join(root, "data", "train.jsonl"), "a", encoding="utf-8") as handle:
                handle.write(json.dumps(fx.sft_line(3)) + "\n")
            with self.assertRaises(BundleDataError) as ctx:
                verify_files(manifest, root)
            self.assertIn("files.data/train.jsonl", str(ctx.exception))

    def test_manifest_fields(self):
        with tempfile.TemporaryDirectory() as root:
            fx.write_bundle(root, "wsft", [fx.sft_line(1, weight=1.0, tier=1)], [], [])
            with self.assertRaises(BundleDataError) as ctx:
                load_manifest(os.path.join(root, "manifest.json"))
            self.assertIn("'tiers' is required", str(ctx.exception))
            path = os.path.join(root, "manifest.json")
            with open(path, encoding="utf-8") as handle:
                manifest = json.load(handle)
            manifest["version"] = 2
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(manifest, handle)
            with self.assertRaises(BundleDataError) as ctx:
                load_manifest(path)
            self.assertIn("field 'version' must be 1", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
