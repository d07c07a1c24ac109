"""train.py's torch-free half: manifest, hashes, data validation and batch arithmetic (--dry-run)."""
import contextlib
import io
import json
import os
import tempfile
import unittest
from unittest import mock

import bundle_fixtures as fx

import importlib.util

HAVE_YAML = importlib.util.find_spec("yaml") is not None

import train
from pluralscope_bundle.weights import sample_weights, tier_weights


def weighted_lines(make, tiers):
    return [make(i, weight=w, tier=t) for i, (t, w) in enumerate(zip(tiers, sample_weights(tiers)))]


@unittest.skipUnless(HAVE_YAML, "PyYAML not installed")
class TrainPlanTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.root = self.tmp.name

    def plan(self, method, *overrides, world="1", local=None):
        args = train.parse_args(["--config", os.path.join(fx.ROOT, "configs", f"{method}.yaml"), "--bundle-root", self.root,
                                 *[a for o in overrides for a in ("--set", o)]])
        env = {"WORLD_SIZE": world, "LOCAL_WORLD_SIZE": local or world}
        with mock.patch.dict(os.environ, env):
            return train.prepare(args)

    def test_wsft_plan(self):
        tiers = [1, 1, 1, 2, 7, 7, 4, 5]
        counts = {t: tiers.count(t) for t in set(tiers)}
        raw = tier_weights(counts)
        fx.write_bundle(self.root, "wsft", weighted_lines(fx.sft_line, tiers), [fx.sft_line(100, weight=1.0, tier=1)],
                        [fx.benchmark_item(1)], tiers={str(t): {"count": n, "weight": raw[t]} for t, n in counts.items()})
        plan = self.plan("wsft")
        kwargs = plan["trainer_kwargs"]
        self.assertEqual(plan["method"], "wsft")
        self.assertEqual(plan["model_id"], "tiny/random-qwen2")
        self.assertEqual(kwargs["gradient_accumulation_steps"], 4)  # 32 / (8 x 1)
        self.assertEqual(kwargs["loss_type"], "nll")
        self.assertTrue(kwargs["completion_only_loss"])
        self.assertEqual(kwargs["seed"], 7)  # the manifest's split seed
        self.assertEqual(kwargs["model_init_kwargs"], {"dtype": "bfloat16", "attn_implementation": "sdpa"})
        self.assertEqual(plan["peft_kwargs"]["target_modules"][:2], ["q_proj", "k_proj"])
        self.assertEqual(plan["counts"], {"train": 8, "eval": 1})
        self.assertEqual(plan["notes"], [])
        self.assertTrue(kwargs["output_dir"].endswith(os.path.join("outputs", "wsft")))

    def test_world_size_and_overrides(self):
        fx.write_bundle(self.root, "dpo", [fx.dpo_line(i) for i in range(4)], [], [])
        plan = self.plan("dpo", "batch.per_device_train_batch_size=4", "peft.enabled=false", "trainer.learning_rate=1e-6", world="8")
        kwargs = plan["trainer_kwargs"]
        self.assertEqual(kwargs["gradient_accumulation_steps"], 1)
        self.assertEqual((plan["world_size"], plan["nodes"]), (8, 1))
        self.assertEqual(self.plan("dpo", "batch.per_device_train_batch_size=2", world="16", local="8")["nodes"], 2)  # 2 machines x 8 processes
        self.assertEqual(kwargs["learning_rate"], 1e-6)
        self.assertIsNone(plan["peft_kwargs"])
        self.assertIsNone(kwargs["model_init_kwargs"]["device_map"])
        self.assertEqual(kwargs["eval_strategy"], "no")  # empty eval file
        with self.assertRaises(ValueError):
            self.plan("dpo", world="3")

    def test_grpo_counts_prompts(self):
        fx.write_bundle(self.root, "grpo", [fx.grpo_line(i) for i in range(3)], [fx.grpo_line(9)], [])
        plan = self.plan("grpo")
        kwargs = plan["trainer_kwargs"]
        self.assertEqual(plan["global_batch"], 64 * 8)
        self.assertEqual(kwargs["gradient_accumulation_steps"], 64 * 8 // 16)
        self.assertEqual(kwargs["reward_weights"], [1.0, 0.1])
        self.assertNotIn("completion_only_loss", kwargs)

    def test_bad_data_and_hashes_fail_before_training(self):
        line = fx.sft_line(2)
        line["completion"][0]["role"] = "user"
        fx.write_bundle(self.root, "sft", [fx.sft_line(1), line], [], [])
        args = train.parse_args(["--config", os.path.join(fx.ROOT, "configs", "sft.yaml"), "--bundle-root", self.root])
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            self.assertEqual(train.main(["--config", os.path.join(fx.ROOT, "configs", "sft.yaml"), "--bundle-root", self.root, "--dry-run"]), 2)
        self.assertIn("train.jsonl:2: field 'completion[0].role'", stderr.getvalue())
        fx.write_bundle(self.root, "sft", [fx.sft_line(1)], [], [])
        with open(os.path.join(self.root, "data", "train.jsonl"), "a", encoding="utf-8") as handle:
            handle.write(json.dumps(fx.sft_line(5)) + "\n")
        with self.assertRaises(Exception) as ctx:
            train.prepare(args)
        self.assertIn("sha256", str(ctx.exception))

    def test_weighted_config_on_unweighted_data(self):
        fx.write_bundle(self.root, "sft", [fx.sft_line(1)], [], [])
        with self.assertRaises(Exception) as ctx:
            self.plan("wsft")
        self.assertIn("missing field 'weight'", str(ctx.exception))

    def test_benchmark_overlap(self):
        item = fx.benchmark_item(1)
        item["id"] = "q1"
        fx.write_bundle(self.root, "sft", [fx.sft_line(1)], [], [item])
        with self.assertRaises(Exception) as ctx:
            self.plan("sft")
        self.assertIn("also occur in", str(ctx.exception))

    def test_dry_run_prints_plan(self):
        fx.write_bundle(self.root, "lora-sft", [fx.sft_line(1)], [fx.sft_line(2)], [fx.benchmark_item(1)])
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = train.main(["--config", os.path.join(fx.ROOT, "configs", "lora-sft.yaml"), "--bundle-root", self.root, "--dry-run"])
        self.assertEqual(code, 0)
        plan = json.loads(out.getvalue())
        self.assertEqual(plan["method"], "lora-sft")
        self.assertEqual(plan["trainer_kwargs"]["learning_rate"], 1e-6)


if __name__ == "__main__":
    unittest.main()
