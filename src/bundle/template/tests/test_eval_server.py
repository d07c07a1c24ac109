"""eval_server.py's scoring and record writing, with a fake backend (no torch needed)."""
import contextlib
import io
import json
import os
import tempfile
import unittest
from unittest import mock

import bundle_fixtures as fx
import eval_server
from pluralscope_bundle.record import check_record

LABEL_TOKENS = {"A": 1, " A": 2, "B": 3, " B": 4, "C": 5, " C": 6}
# The fake model's next-token probabilities: it prefers whatever is shown first.
NEXT = {1: 0.4, 2: 0.2, 3: 0.2, 4: 0.1, 5: 0.03, 6: 0.02}


class FakeTokenizer:
    pad_token_id = 0

    def __init__(self, refuse_system=False):
        self.refuse_system = refuse_system

    def apply_chat_template(self, messages, tokenize=False, add_generation_prompt=True):
        assert tokenize is False and add_generation_prompt is True
        if self.refuse_system and messages[0]["role"] == "system":
            raise ValueError("System role not supported")
        return "".join(f"<{m['role']}>{m['content']}" for m in messages) + "<assistant>"

    def __call__(self, text, add_special_tokens=False):
        return {"input_ids": [10 + (ord(c) % 200) for c in text]}

    def encode(self, text, add_special_tokens=False):
        return [LABEL_TOKENS[text]] if text in LABEL_TOKENS else [99, 98]


class FakeBackend:
    name = "fake"
    device = "cpu"
    dtype_name = "float32"
    revision = None
    prefix_reused = False

    def __init__(self, tokenizer=None, texts=None):
        self.tokenizer = tokenizer or FakeTokenizer()
        self.texts = texts or ["<answer>A</answer>", "no idea"]
        self.model_info = {"ref": "outputs/sft/final", "id": "tiny+sft", "files": None}
        self.calls = []

    def libraries(self):
        return {"python": "3", "fake": "1"}

    def next_token_probs(self, sequences, token_ids):
        self.calls.append(len(sequences))
        return [{t: NEXT.get(t, 0.0) for t in token_ids} for _ in sequences]

    def generate(self, sequences, samples, temperature, max_new_tokens, seed):
        return [[self.texts[k % len(self.texts)] for k in range(samples)] for _ in sequences]


class ScoringTest(unittest.TestCase):
    def test_likelihood_rotations_mapped_back(self):
        backend = FakeBackend()
        items = [fx.benchmark_item(1), fx.benchmark_item(2, cyclic=False)]
        events = []
        results = eval_server.score_items_likelihood(backend, eval_server.PromptRenderer(backend.tokenizer), items, 2, events)
        mass = 0.95
        first, second, third = 0.6 / mass, 0.3 / mass, 0.05 / mass
        rotated = results[0]
        # rotation 0 shows [0, 1, 2]; rotation 1 shows [1, 0, 2] (N/A stays last)
        self.assertEqual(len(rotated["rotations"]), 2)
        for got, want in zip(rotated["rotations"][0], [first, second, third]):
            self.assertAlmostEqual(got, want)
        for got, want in zip(rotated["rotations"][1], [second, first, third]):
            self.assertAlmostEqual(got, want)
        for got, want in zip(rotated["distribution"], [(first + second) / 2, (first + second) / 2, third]):
            self.assertAlmostEqual(got, want)
        self.assertAlmostEqual(rotated["labelMass"], mass)
        self.assertNotIn("rotations", results[1])  # one prompt: no rotations stored
        self.assertAlmostEqual(sum(results[1]["distribution"]), 1.0)
        self.assertEqual(backend.calls, [2, 1])  # 3 prompts in batches of 2
        self.assertEqual(events, [])

    def test_system_role_merged_when_refused(self):
        renderer = eval_server.PromptRenderer(FakeTokenizer(refuse_system=True))
        ids = renderer.ids([fx.SYSTEM, fx.user("Q?")])
        self.assertEqual(renderer.system_role, "merged-into-user")
        expected = FakeTokenizer()("<user>" + fx.SYSTEM["content"] + "\n\nQ?<assistant>")["input_ids"]
        self.assertEqual(ids, expected)
        plain = eval_server.PromptRenderer(FakeTokenizer())
        plain.ids([fx.SYSTEM, fx.user("Q?")])
        self.assertEqual(plain.system_role, "system")

    def test_generate_parsing(self):
        backend = FakeBackend(texts=["<answer>A</answer>", "no idea"])
        items = [fx.benchmark_item(1)]
        results = eval_server.score_items_generate(backend, eval_server.PromptRenderer(backend.tokenizer), items, 4, 2, 0.7, 32,
                                                   eval_server.PARSER_DEFAULT, 0, [])
        result = results[0]
        # rotation 0: "A" is option 0; rotation 1: "A" shows option 1
        self.assertEqual(result["parsed"], [0, None, 1, None])
        self.assertEqual(result["invalid"], 2)
        self.assertEqual(result["distribution"], [0.5, 0.5, 0.0])
        self.assertEqual(len(result["raw"]), 4)

    def test_generate_fairpp_parser_fallback(self):
        backend = FakeBackend(texts=["B. Equal", "no idea"])
        events = []
        results = eval_server.score_items_generate(backend, eval_server.PromptRenderer(backend.tokenizer), [fx.benchmark_item(1, cyclic=False)],
                                                   4, 2, 0.7, 32, eval_server.PARSER_FAIRPP, 0, events)
        self.assertEqual(results[0]["parsed"], [1, 2])
        self.assertEqual(results[0]["invalid"], 0)
        self.assertEqual([e["kind"] for e in events], ["parser-fallback"])

    def test_all_invalid_gives_null_distribution(self):
        backend = FakeBackend(texts=["?"])
        results = eval_server.score_items_generate(backend, eval_server.PromptRenderer(backend.tokenizer), [fx.benchmark_item(1)], 4, 1, 0.0, 32,
                                                   eval_server.PARSER_DEFAULT, 0, [])
        self.assertIsNone(results[0]["distribution"])

    def test_common_prefix(self):
        self.assertEqual(eval_server.common_prefix_length([[1, 2, 3], [1, 2, 4], [1, 2]]), 2)
        self.assertEqual(eval_server.common_prefix_length([[5], [6]]), 0)


class MainTest(unittest.TestCase):
    def run_main(self, root, *extra, backend=None):
        out = os.path.join(root, "runs", "r.json")
        argv = ["--model", "tiny", "--items", os.path.join(root, "data", "benchmark_items.jsonl"),
                "--template", os.path.join(root, "data", "run_template.json"), "--out", out, *extra]
        with mock.patch.object(eval_server, "make_backend", return_value=backend or FakeBackend()), \
                contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = eval_server.main(argv)
        self.assertEqual(code, 0)
        with open(out, encoding="utf-8") as handle:
            return json.load(handle)

    def test_writes_a_valid_record(self):
        with tempfile.TemporaryDirectory() as root:
            fx.write_bundle(root, "sft", [fx.sft_line(1)], [], [fx.benchmark_item(i) for i in range(3)])
            record = self.run_main(root)
            self.assertEqual(check_record(record), [])
            self.assertEqual(record["status"], "complete")
            self.assertEqual(len(record["items"]), 3)
            self.assertEqual(record["scoring"]["mode"], "likelihood")
            self.assertEqual(record["sample"]["itemSetHash"], "fixture-hash")  # the template's, untouched
            self.assertEqual(record["model"]["kind"], "server")
            self.assertNotIn("metrics", record)

            limited = self.run_main(root, "--limit", "2", "--mode", "generate", "--samples", "2", "--temperature", "0.5")
            self.assertEqual(check_record(limited), [])
            self.assertEqual(len(limited["items"]), 2)
            self.assertEqual(limited["sample"]["strategy"], "first")
            self.assertEqual(limited["sample"]["total"], 2)
            self.assertNotEqual(limited["sample"]["itemSetHash"], "fixture-hash")
            self.assertEqual(limited["scoring"]["samples"], 2)
            self.assertIn("subset", [e["kind"] for e in limited["events"]])
            self.assertIn("mode", [e["kind"] for e in limited["events"]])

    def test_rejects_greedy_samples(self):
        with tempfile.TemporaryDirectory() as root:
            fx.write_bundle(root, "sft", [fx.sft_line(1)], [], [fx.benchmark_item(1)])
            with contextlib.redirect_stderr(io.StringIO()):
                code = eval_server.main(["--model", "x", "--items", os.path.join(root, "data", "benchmark_items.jsonl"),
                                         "--template", os.path.join(root, "data", "run_template.json"),
                                         "--mode", "generate", "--samples", "3", "--temperature", "0"])
            self.assertEqual(code, 2)


if __name__ == "__main__":
    unittest.main()
