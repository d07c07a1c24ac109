import glob
import os
import unittest

import bundle_fixtures as fx
from pluralscope_bundle.config import apply_overrides, gradient_accumulation, load_config, parse_value

import importlib.util

HAVE_YAML = importlib.util.find_spec("yaml") is not None  # the configs are YAML; the rest is stdlib


class OverrideTest(unittest.TestCase):
    def test_parse_value(self):
        self.assertEqual(parse_value("1e-6"), 1e-6)
        self.assertEqual(parse_value("32"), 32)
        self.assertIs(parse_value("true"), True)
        self.assertIsNone(parse_value("null"))
        self.assertEqual(parse_value("no"), "no")  # save_strategy / eval_strategy value, not a boolean
        self.assertEqual(parse_value("none"), "none")
        self.assertEqual(parse_value("[q_proj, v_proj]"), ["q_proj", "v_proj"])
        self.assertEqual(parse_value('{"a": 1}'), {"a": 1})
        self.assertEqual(parse_value("meta-llama/Llama-3.2-3B-Instruct"), "meta-llama/Llama-3.2-3B-Instruct")

    def test_apply_overrides(self):
        config = {"trainer": {"learning_rate": 1.0}, "peft": {"enabled": True}}
        result = apply_overrides(config, ["trainer.learning_rate=2e-5", "peft.enabled=false", "model.name_or_path=x/y"])
        self.assertEqual(result["trainer"]["learning_rate"], 2e-5)
        self.assertFalse(result["peft"]["enabled"])
        self.assertEqual(result["model"]["name_or_path"], "x/y")
        self.assertEqual(config["trainer"]["learning_rate"], 1.0)  # the input is not mutated
        with self.assertRaises(ValueError):
            apply_overrides(config, ["no-equals-sign"])
        with self.assertRaises(ValueError):
            apply_overrides(config, ["trainer.learning_rate.x=1"])

    def test_gradient_accumulation(self):
        self.assertEqual(gradient_accumulation(32, 8, 1), 4)
        self.assertEqual(gradient_accumulation(32, 8, 4), 1)
        self.assertEqual(gradient_accumulation(512, 16, 2), 16)
        with self.assertRaises(ValueError) as ctx:
            gradient_accumulation(32, 8, 3)
        self.assertIn("not a multiple", str(ctx.exception))


@unittest.skipUnless(HAVE_YAML, "PyYAML not installed")
class ShippedConfigTest(unittest.TestCase):
    def load(self, method):
        return load_config(os.path.join(fx.ROOT, "configs", f"{method}.yaml"))

    def test_every_method_has_a_config(self):
        names = sorted(os.path.basename(p)[:-5] for p in glob.glob(os.path.join(fx.ROOT, "configs", "*.yaml")))
        self.assertEqual(names, ["dpo", "grpo", "lora-sft", "sft", "wdpo", "wsft"])
        for name in names:
            config = self.load(name)
            self.assertEqual(config["method"], name)
            self.assertIsInstance(config["trainer"]["learning_rate"], float)
            self.assertIn(config["trainer"]["save_strategy"], ("no", "steps", "epoch"))
            self.assertEqual(config["trainer"]["report_to"], "none")

    def test_fair_sp_presets(self):
        for name in ("sft", "wsft", "dpo", "wdpo"):
            config = self.load(name)
            self.assertEqual(config["batch"]["global_train_batch_size"], 32)
            self.assertEqual(config["batch"]["per_device_eval_batch_size"], 16)
            self.assertEqual(config["trainer"]["learning_rate"], 5e-7)
            self.assertEqual(config["trainer"]["optim"], "rmsprop")
            self.assertEqual(config["trainer"]["warmup_steps"], 150)
            self.assertEqual(config["trainer"]["max_grad_norm"], 10.0)
        for name in ("dpo", "wdpo"):
            self.assertEqual(self.load(name)["trainer"]["beta"], 0.1)
        self.assertEqual(self.load("wsft")["trainer"]["loss_type"], "nll")

    def test_wvs_preset(self):
        config = self.load("lora-sft")
        self.assertEqual(config["trainer"]["learning_rate"], 1e-6)
        self.assertEqual(config["trainer"]["num_train_epochs"], 1)
        self.assertTrue(config["peft"]["enabled"])

    def test_dvmap_preset(self):
        config = self.load("grpo")
        trainer = config["trainer"]
        self.assertEqual(trainer["learning_rate"], 5e-6)
        self.assertEqual(trainer["temperature"], 0.7)
        self.assertEqual(trainer["num_generations"], 8)
        self.assertEqual(trainer["num_train_epochs"], 1)
        self.assertTrue(trainer["bf16"])
        self.assertEqual(config["batch"]["global_train_batch_size"], 64)
        self.assertIn("format_weight", config["reward"])
        # 64 prompts x 8 rollouts must split evenly over the per-device micro-batch on 1 and 8 GPUs
        for world in (1, 8):
            gradient_accumulation(64 * 8, config["batch"]["per_device_train_batch_size"], world)


if __name__ == "__main__":
    unittest.main()
