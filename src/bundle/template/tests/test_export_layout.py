"""export/layout.py: the transformers.js folder it writes, and the graph checks it makes.

The metadata steps are stdlib-only and always run; the graph checks need the ``onnx`` package
(Debian's python3-onnx is enough) and are skipped without it. tests/bundle/export-layout.test.ts
runs the whole script on the project's synthetic model and opens the result with the app's loader.
"""

import json
import os
import sys
import tempfile
import unittest

import bundle_fixtures as fx

sys.path.insert(0, os.path.join(fx.ROOT, "export"))
import layout  # noqa: E402

try:
    import onnx
    from onnx import TensorProto, helper
except ImportError:
    onnx = None


def write_json(folder: str, name: str, value: dict) -> None:
    with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
        json.dump(value, handle)


def read_json(folder: str, name: str) -> dict:
    with open(os.path.join(folder, name), encoding="utf-8") as handle:
        return json.load(handle)


class MetadataTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.folder, "onnx"))

    def test_head_dim_and_kv_heads_made_explicit(self):
        write_json(self.folder, "config.json", {"hidden_size": 896, "num_attention_heads": 14})
        layout.complete_config(self.folder)
        config = read_json(self.folder, "config.json")
        self.assertEqual(config["head_dim"], 64)
        self.assertEqual(config["num_key_value_heads"], 14)

    def test_explicit_values_kept_and_text_config_used(self):
        write_json(self.folder, "config.json", {"text_config": {"hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32}})
        layout.complete_config(self.folder)
        self.assertEqual(read_json(self.folder, "config.json")["text_config"], {"hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32})

    def test_chat_template_inlined_from_jinja(self):
        write_json(self.folder, "tokenizer_config.json", {"eos_token": "<|im_end|>"})
        with open(os.path.join(self.folder, "chat_template.jinja"), "w", encoding="utf-8") as handle:
            handle.write("{% for m in messages %}{{ m['content'] }}{% endfor %}")
        layout.inline_chat_template(self.folder)
        config = read_json(self.folder, "tokenizer_config.json")
        self.assertEqual(config["chat_template"], "{% for m in messages %}{{ m['content'] }}{% endfor %}")
        self.assertEqual(config["eos_token"], "<|im_end|>")

    def test_existing_chat_template_wins(self):
        write_json(self.folder, "tokenizer_config.json", {"chat_template": "kept"})
        with open(os.path.join(self.folder, "chat_template.jinja"), "w", encoding="utf-8") as handle:
            handle.write("ignored")
        layout.inline_chat_template(self.folder)
        self.assertEqual(read_json(self.folder, "tokenizer_config.json")["chat_template"], "kept")

    def test_external_data_config_lists_each_file_with_data_and_drops_stale_entries(self):
        write_json(self.folder, "config.json", {"transformers.js_config": {"use_external_data_format": {"old.onnx": 1}, "kv_cache_dtype": "float16"}})
        for name in ("model.onnx", "model.onnx_data", "model_q4.onnx"):
            open(os.path.join(self.folder, "onnx", name), "wb").close()
        self.assertEqual(layout.update_external_data_config(self.folder), {"model.onnx": 1})
        self.assertEqual(read_json(self.folder, "config.json")["transformers.js_config"],
                         {"use_external_data_format": {"model.onnx": 1}, "kv_cache_dtype": "float16"})
        os.remove(os.path.join(self.folder, "onnx", "model.onnx_data"))
        self.assertEqual(layout.update_external_data_config(self.folder), {})
        self.assertEqual(read_json(self.folder, "config.json")["transformers.js_config"], {"kv_cache_dtype": "float16"})


def decoder_graph(kv_heads=2, head_dim=4, with_cache=True, logits=True):
    """The inputs and outputs of an Optimum text-generation-with-past export (one layer), no nodes needed."""
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "total"]),
    ]
    outputs = [helper.make_tensor_value_info("logits" if logits else "hidden", TensorProto.FLOAT, ["batch", "seq", 16])]
    if with_cache:
        for kind in ("key", "value"):
            inputs.append(helper.make_tensor_value_info(f"past_key_values.0.{kind}", TensorProto.FLOAT, ["batch", kv_heads, "past", head_dim]))
            outputs.append(helper.make_tensor_value_info(f"present.0.{kind}", TensorProto.FLOAT, ["batch", kv_heads, "total", head_dim]))
    # raw_data, as torch.onnx (Optimum) writes initializers: only raw_data moves to external data.
    weight = helper.make_tensor("w", TensorProto.FLOAT, [64, 64], bytes(4 * 4096), raw=True)
    return helper.make_model(helper.make_graph([], "decoder", inputs, outputs, initializer=[weight]))


@unittest.skipIf(onnx is None, "onnx is not installed (apt-get install python3-onnx)")
class GraphCheckTest(unittest.TestCase):
    def save(self, model) -> str:
        path = os.path.join(tempfile.mkdtemp(), "model.onnx")
        onnx.save_model(model, path)
        return path

    def test_an_optimum_with_past_graph_passes(self):
        self.assertEqual(layout.check_io(self.save(decoder_graph())), [])

    def test_a_graph_without_cache_says_how_to_export(self):
        problems = layout.check_io(self.save(decoder_graph(with_cache=False)))
        self.assertIn("input 'past_key_values.0.key' missing (export with --task text-generation-with-past)", problems)
        self.assertIn("output 'present.0.value' missing", problems)

    def test_missing_logits_and_symbolic_cache_sizes_are_reported(self):
        problems = layout.check_io(self.save(decoder_graph(kv_heads="kv_heads", logits=False)))
        self.assertIn("output 'logits' missing", problems)
        self.assertIn("past_key_values.0.key: kv_heads is symbolic ('kv_heads'); transformers.js needs a fixed number there", problems)

    def test_external_data_is_named_after_the_file_it_belongs_to(self):
        folder = tempfile.mkdtemp()
        path = os.path.join(folder, "model.onnx")
        layout.save_model(decoder_graph(), path, force_external=True)
        self.assertTrue(os.path.isfile(path + "_data"))
        stored = onnx.load(path, load_external_data=False).graph.initializer[0]
        self.assertEqual({entry.key: entry.value for entry in stored.external_data}["location"], "model.onnx_data")
        # Saving again inline removes the stale data file.
        layout.save_model(onnx.load(path), path, force_external=False)
        self.assertFalse(os.path.exists(path + "_data"))
        self.assertEqual(len(onnx.load(path).graph.initializer[0].raw_data), 4096 * 4)


if __name__ == "__main__":
    unittest.main()


class QuantizeArgumentsTest(unittest.TestCase):
    """export/quantize.py refuses --q4f16 before doing any work when onnxconverter-common is missing."""

    def test_q4f16_without_the_converter_says_what_to_install(self):
        import quantize
        from unittest import mock

        folder = tempfile.mkdtemp()
        with mock.patch.dict(sys.modules, {"onnxconverter_common": None}):
            with self.assertRaises(SystemExit) as caught:
                quantize.main([folder, "--q4", "--q4f16"])
        self.assertIn("onnxconverter-common", str(caught.exception))
        self.assertIn("--q4 only", str(caught.exception))
        self.assertEqual(os.listdir(folder), [])  # nothing written, not even the q4 file

    def test_no_format_is_a_usage_error(self):
        import contextlib
        import io

        import quantize

        with self.assertRaises(SystemExit) as caught, contextlib.redirect_stderr(io.StringIO()):
            quantize.main([tempfile.mkdtemp()])
        self.assertEqual(caught.exception.code, 2)


def _norm_graph_with_identity():
    """An RMSNorm-like Mul reading its weight through an Identity, a rotary Cast to float32, a MatMul:
    the shapes of an Optimum (TorchScript) export that the float16 conversion got wrong."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    shared = helper.make_tensor("model.layers.0.input_layernorm.weight", TensorProto.FLOAT, [4], [1.0, 1.0, 1.0, 1.0])
    w = helper.make_tensor("w", TensorProto.FLOAT, [4, 4], [0.5] * 16)
    nodes = [
        helper.make_node("Identity", ["model.layers.0.input_layernorm.weight"], ["model.norm.weight"], name="Identity_221"),
        helper.make_node("Mul", ["x", "model.norm.weight"], ["normed"], name="/model/norm/Mul_1"),
        helper.make_node("Cast", ["normed"], ["as_float"], name="/model/rotary_emb/Cast", to=TensorProto.FLOAT),
        helper.make_node("Cast", ["as_float"], ["as_float_again"], name="/model/Cast_7", to=TensorProto.FLOAT),
        helper.make_node("MatMul", ["as_float_again", "w"], ["y"], name="/lm_head/MatMul"),
    ]
    return helper.make_model(helper.make_graph(nodes, "g", [x], [y], initializer=[shared, w]))


@unittest.skipIf(onnx is None, "onnx is not installed (apt-get install python3-onnx)")
class Float16PreparationTest(unittest.TestCase):
    """export/quantize.py's preparation of a graph for onnxconverter-common's float16 conversion."""

    def test_float32_nodes(self):
        import quantize

        model = _norm_graph_with_identity()
        self.assertEqual(quantize.float32_nodes(model, keep_norm_fp32=True), ["/model/norm/Mul_1", "/model/rotary_emb/Cast", "/model/Cast_7"])
        # --fp16-norms: the norm goes to float16; the rotary embedding and casts to float32 never do.
        self.assertEqual(quantize.float32_nodes(model, keep_norm_fp32=False), ["/model/rotary_emb/Cast", "/model/Cast_7"])

    def test_identity_to_a_kept_node_becomes_its_own_initializer(self):
        import quantize
        from onnx import numpy_helper

        model = _norm_graph_with_identity()
        replaced = quantize.materialize_blocked_identities(model, {"/model/norm/Mul_1"})
        self.assertEqual(replaced, 1)
        self.assertNotIn("Identity", [node.op_type for node in model.graph.node])
        initializers = {init.name: numpy_helper.to_array(init).tolist() for init in model.graph.initializer}
        self.assertEqual(initializers["model.norm.weight"], [1.0, 1.0, 1.0, 1.0])
        self.assertIn("model.layers.0.input_layernorm.weight", initializers)  # the original stays
        onnx.checker.check_model(model)

    def test_identity_read_by_a_converted_node_is_left(self):
        import quantize

        model = _norm_graph_with_identity()
        self.assertEqual(quantize.materialize_blocked_identities(model, set()), 0)
        self.assertIn("Identity", [node.op_type for node in model.graph.node])
