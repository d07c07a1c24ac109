import json
import os
import unittest

import bundle_fixtures as fx
from pluralscope_bundle.record import (
    ITEM_KEYS,
    MODEL_KEYS,
    RECORD_KEYS,
    RUNTIME_KEYS,
    SAMPLE_KEYS,
    SCORING_KEYS,
    assemble_record,
    check_record,
    event,
    item_result,
    item_set_hash,
    iso_now,
)

with open(os.path.join(fx.FIXTURES, "run_record_required.json"), encoding="utf-8") as _handle:
    SPEC = json.load(_handle)
with open(os.path.join(fx.FIXTURES, "run_template.json"), encoding="utf-8") as _handle:
    TEMPLATE = json.load(_handle)


def check_against_fixture(test, obj, section):
    spec = SPEC[section]
    missing = set(spec["required"]) - set(obj)
    extra = set(obj) - set(spec["allowed"])
    test.assertFalse(missing, f"{section} lacks {sorted(missing)}")
    test.assertFalse(extra, f"{section} has keys the schema does not allow: {sorted(extra)}")


class RecordTest(unittest.TestCase):
    def build(self, items, **kwargs):
        model = {"ref": "outputs/sft/final", "kind": "server", "id": "base+sft", "dtype": "bfloat16", "revision": None}
        runtime = {"device": "cuda", "libraries": {"torch": "2.11.0", "transformers": "5.17.0"}, "environment": "Linux"}
        return assemble_record(TEMPLATE, items, model=model, runtime=runtime, producer_version="0.1.0",
                               created_at=iso_now(), finished_at=iso_now(), **kwargs)

    def test_module_key_sets_match_the_fixture(self):
        self.assertEqual(RECORD_KEYS, set(SPEC["record"]["allowed"]))
        self.assertEqual(ITEM_KEYS, set(SPEC["item"]["allowed"]))
        self.assertEqual(MODEL_KEYS, set(SPEC["model"]["allowed"]))
        self.assertEqual(RUNTIME_KEYS, set(SPEC["runtime"]["allowed"]))
        self.assertEqual(SCORING_KEYS, set(SPEC["scoring"]["allowed"]))
        self.assertEqual(SAMPLE_KEYS, set(SPEC["sample"]["allowed"]))

    def test_likelihood_record(self):
        item = fx.benchmark_item(1)
        result = item_result(item, [0.5, 0.25, 0.25], label_mass=0.9, rotations=[[0.6, 0.2, 0.2], [0.4, 0.3, 0.3]], latency_ms=12.5)
        record = self.build([result], scoring_updates={"batchSize": 16, "prefixReuse": True})
        check_against_fixture(self, record, "record")
        for section in ("producer", "model", "runtime", "scoring", "sample", "suite"):
            check_against_fixture(self, record[section], section)
        check_against_fixture(self, record["suite"]["data"], "suite.data")
        check_against_fixture(self, record["scoring"]["template"], "scoring.template")
        check_against_fixture(self, record["items"][0], "item")
        for entry in record["events"]:
            check_against_fixture(self, entry, "event")
        self.assertEqual(record["format"], SPEC["format"])
        self.assertEqual(record["version"], SPEC["version"])
        self.assertEqual(record["status"], "complete")
        self.assertIn(record["model"]["kind"], SPEC["enums"]["model.kind"])
        self.assertNotIn("metrics", record)  # metrics are the product's job
        self.assertNotIn("revision", record["model"])  # None values are dropped, not written as null
        self.assertEqual(record["producer"]["name"], "pluralscope-eval-server")
        self.assertEqual(record["items"][0]["rotations"], [[0.6, 0.2, 0.2], [0.4, 0.3, 0.3]])
        json.dumps(record, allow_nan=False)

    def test_generate_item(self):
        item = fx.benchmark_item(2)
        result = item_result(item, [2 / 3, 1 / 3, 0.0], raw=["A", "B", "A", "???"], parsed=[0, 1, 0, None])
        self.assertEqual(result["invalid"], 1)
        self.assertNotIn("rotations", result)
        record = self.build([result], scoring_updates={"mode": "generate", "samples": 4, "temperature": 0.7, "maxNewTokens": 256, "parser": "answer-tag-or-label"})
        self.assertEqual(record["scoring"]["mode"], "generate")
        check_against_fixture(self, record["items"][0], "item")

    def test_null_distribution_and_clamping(self):
        result = item_result(fx.benchmark_item(3), None, label_mass=1.0000000002)
        self.assertIsNone(result["distribution"])
        self.assertEqual(result["labelMass"], 1.0)
        result = item_result(fx.benchmark_item(3), [1.0000000001, -1e-18, 0.0])
        self.assertEqual(result["distribution"], [1.0, 0.0, 0.0])
        with self.assertRaises(ValueError):
            item_result(fx.benchmark_item(3), [0.5, 0.5])
        with self.assertRaises(ValueError):
            item_result(fx.benchmark_item(3), [float("nan"), 0.5, 0.5])

    def test_sample_override_and_events(self):
        items = [item_result(fx.benchmark_item(i), [1.0, 0.0, 0.0]) for i in range(2)]
        sample = dict(TEMPLATE["sample"], strategy="first", limit=2, total=2, itemSetHash=item_set_hash(["b1", "b0"]))
        record = self.build(items, sample_override=sample, events=[event("subset", "first 2")], status="failed")
        self.assertEqual(record["sample"]["itemSetHash"], item_set_hash(["b0", "b1"]))
        # The product's itemSetHash (src/core/record/build.ts) of the same ids: the two must agree.
        self.assertEqual(item_set_hash(["b1", "b0"]), "274b2a6168f20cc0")
        self.assertEqual(record["status"], "failed")
        self.assertEqual([e["kind"] for e in record["events"]], ["bundle", "subset"])
        check_against_fixture(self, record["sample"], "sample")

    def test_check_record_flags_extra_keys(self):
        record = self.build([item_result(fx.benchmark_item(1), [1.0, 0.0, 0.0])])
        record["items"][0]["prompts"] = []
        record["model"]["notes"] = "x"
        problems = check_record(record)
        self.assertTrue(any("items[0]" in p for p in problems))
        self.assertTrue(any("model has keys" in p for p in problems))
        with self.assertRaises(ValueError):
            self.build([], status="done")

    def test_iso_now(self):
        stamp = iso_now()
        self.assertRegex(stamp, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


if __name__ == "__main__":
    unittest.main()
