import importlib.util
import json
import os
import tempfile
import unittest

import bundle_fixtures as fx


def load(name):
    # verl/ holds loose scripts (VeRL loads reward.py by path), so import them by path too.
    spec = importlib.util.spec_from_file_location(f"bundle_verl_{name}", os.path.join(fx.ROOT, "verl", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


verl_reward = load("reward")
to_parquet = load("to_parquet")


class VerlRewardTest(unittest.TestCase):
    def test_compute_score(self):
        row = to_parquet.to_verl_row(fx.grpo_line(1, gold=1), 0, "train", "dvmap")
        gt, extra = row["reward_model"]["ground_truth"], row["extra_info"]
        score = verl_reward.compute_score("dvmap", "reasoning <answer>B</answer>", gt, extra)
        self.assertAlmostEqual(score["score"], 1.1)
        self.assertEqual((score["correct"], score["format"]), (1.0, 1.0))
        self.assertAlmostEqual(verl_reward.compute_score("dvmap", "<answer>Very important</answer>", gt, extra, format_weight=0.5)["score"], 0.5)
        self.assertAlmostEqual(verl_reward.compute_score("dvmap", "Rather important", gt, extra)["score"], 0.0)
        # without extra_info the gold text still scores
        self.assertAlmostEqual(verl_reward.compute_score("dvmap", "<answer>Rather important</answer>", gt)["score"], 1.1)

    def test_rows(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "train.jsonl")
            fx.write_jsonl(path, [fx.grpo_line(1), fx.grpo_line(2, frequency=None)])
            rows = to_parquet.convert(path, "train", "dvmap")
        self.assertEqual([r["extra_info"]["index"] for r in rows], [0, 1])
        self.assertEqual(rows[0]["data_source"], "dvmap")
        self.assertEqual(rows[0]["reward_model"], {"style": "rule", "ground_truth": "Rather important"})
        self.assertEqual(rows[0]["prompt"][0]["role"], "user")
        self.assertEqual(rows[0]["extra_info"]["frequency"], 0.5)
        self.assertIsNone(rows[1]["extra_info"]["frequency"])
        json.dumps(rows)


if __name__ == "__main__":
    unittest.main()
