#!/usr/bin/env python3
"""Adds 4-bit variants to a transformers.js model folder made by export/layout.py.

    python export/quantize.py web-model/ --q4 --q4f16

* q4    -> onnx/model_q4.onnx: every MatMul with a constant weight becomes MatMulNBits (4-bit,
           symmetric, block size 32) with onnxruntime's MatMulNBitsQuantizer; activations,
           embeddings (Gather) and the rest stay float32. Runs on WASM and WebGPU.
* q4f16 -> onnx/model_q4f16.onnx: the float32 graph converted to float16 first (onnxconverter-common's
           convert_float_to_float16, after ONNX shape inference so every intermediate type is
           known; the RMSNorm/LayerNorm subgraphs are kept in float32 by default because x*x
           overflows float16 on large activations, and so are the rotary embedding and every Cast
           to float32, see float32_nodes), then the same 4-bit MatMulNBits quantisation.
           In the browser it needs WebGPU with shader-f16.

Each output gets external data (<name>.onnx_data) when over the 2 GB limit, and config.json's
transformers.js_config.use_external_data_format is updated to match.

Written to onnxruntime's documented Python API (onnxruntime.quantization.matmul_nbits_quantizer;
``MatMulNBitsQuantizer(model, block_size, is_symmetric, accuracy_level)``, ``.process()``,
``.model.model``) and onnxconverter-common's float16 module; see the bundle README for what
was and was not run.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from layout import check_io, save_model, update_external_data_config, verify  # noqa: E402

NORM_NODE = re.compile(r"norm", re.IGNORECASE)
# Rotary embeddings stay float32: position x inverse frequency needs more than float16's 11 bits
# (at position 4096 float16 steps by 4), and torch's export casts them to float32 explicitly.
ROTARY_NODE = re.compile(r"rotary_emb", re.IGNORECASE)
FLOAT = 1  # onnx.TensorProto.FLOAT


def float32_nodes(model, keep_norm_fp32: bool) -> list[str]:
    """The nodes the float16 conversion must leave in float32: the norms (unless asked otherwise),
    the rotary embedding, and every Cast to float32. onnxconverter-common marks a Cast's output
    float16 without changing its `to`, so a converted Cast-to-float32 makes a model that fails to
    load (measured on an Optimum export: "Type (tensor(float16)) of output arg
    (/model/rotary_emb/Cast_output_0) ... does not match expected type (tensor(float))")."""
    names = []
    for node in model.graph.node:
        if not node.name:
            continue
        casts_to_float = node.op_type == "Cast" and any(a.name == "to" and a.i == FLOAT for a in node.attribute)
        if casts_to_float or ROTARY_NODE.search(node.name) or (keep_norm_fp32 and NORM_NODE.search(node.name)):
            names.append(node.name)
    return names


def quantizer_class():
    # onnxruntime >= 1.20 names the module matmul_nbits_quantizer (older: matmul_4bits_quantizer).
    # Only a missing module falls back: any other ImportError (onnxruntime 1.30's quantizer imports
    # onnx_ir, which no onnxruntime extra installs) is reported as it is.
    try:
        from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
    except ModuleNotFoundError as error:
        if error.name != "onnxruntime.quantization.matmul_nbits_quantizer":
            raise SystemExit(f"onnxruntime's 4-bit quantizer needs the module {error.name!r}: pip install -r export/requirements-export.txt") from error
        from onnxruntime.quantization.matmul_4bits_quantizer import MatMulNBitsQuantizer
    # The quantizer logs every node at INFO; keep warnings and errors.
    logging.getLogger("onnxruntime.quantization").setLevel(logging.WARNING)
    logging.getLogger("onnxruntime.quantization.matmul_nbits_quantizer").setLevel(logging.WARNING)
    return MatMulNBitsQuantizer


def quantize_q4(model, block_size: int):
    quantizer = quantizer_class()(model, block_size=block_size, is_symmetric=True, accuracy_level=None)
    quantizer.process()
    result = quantizer.model
    if hasattr(result, "topological_sort"):
        result.topological_sort()
    return result.model if hasattr(result, "model") else result


def materialize_blocked_identities(model, blocked_nodes) -> int:
    """Gives every node kept in float32 its own copy of a weight it reads through an Identity.

    torch.onnx's TorchScript export (Optimum's) stores equal initializers once and feeds the others
    through Identity nodes: in a model whose norm weights are all equal (all ones, as in a freshly
    initialised model), every RMSNorm reads one weight through an Identity. onnxconverter-common keeps
    an initializer in float32 only when a blocked node reads it directly, so the Identity's output is
    declared float16 while a float32 tensor flows, and the q4f16 model fails to load (measured:
    "Type (tensor(float16)) of output arg (model.norm.weight) of node (Identity_221) does not match
    expected type (tensor(float))"). Replacing such an Identity by an initializer of its own (a copy;
    norm weights are vectors) fixes that. Returns how many Identity nodes were replaced.
    """
    import onnx

    graph = model.graph
    initializers = {init.name: init for init in graph.initializer}
    read_by_blocked = {name for node in graph.node if node.name in blocked_nodes for name in node.input}
    read_by_others = {name for node in graph.node if node.name not in blocked_nodes for name in node.input}
    graph_outputs = {output.name for output in graph.output}
    replace = [
        node for node in graph.node
        if node.op_type == "Identity" and node.input[0] in initializers and node.output[0] in read_by_blocked
        and node.output[0] not in read_by_others and node.output[0] not in graph_outputs
    ]
    for node in replace:
        copy = onnx.TensorProto()
        copy.CopyFrom(initializers[node.input[0]])
        copy.name = node.output[0]
        graph.initializer.append(copy)
        graph.node.remove(node)
    return len(replace)


def to_float16(source_path: str, keep_norm_fp32: bool):
    import onnx
    from onnxconverter_common import float16

    # Shape inference from the file: works for models over 2 GB (the in-memory API does not).
    inferred = source_path[:-5] + ".inferred.onnx"
    onnx.shape_inference.infer_shapes_path(source_path, inferred)
    try:
        model = onnx.load(inferred, load_external_data=True)
    finally:
        os.remove(inferred)
    node_block_list = float32_nodes(model, keep_norm_fp32)
    if keep_norm_fp32 and not any(NORM_NODE.search(name) for name in node_block_list):
        print("warning: found no node named *norm*; the whole graph goes to float16", file=sys.stderr)
    materialize_blocked_identities(model, set(node_block_list))
    return float16.convert_float_to_float16(
        model,
        keep_io_types=False,          # float16 cache inputs/outputs, as onnx-community's q4f16 exports
        disable_shape_infer=True,     # done above, from the file
        node_block_list=node_block_list,
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="a folder made by export/layout.py (holds onnx/model.onnx)")
    parser.add_argument("--q4", action="store_true", help="write onnx/model_q4.onnx")
    parser.add_argument("--q4f16", action="store_true", help="write onnx/model_q4f16.onnx")
    parser.add_argument("--block-size", type=int, default=32)
    parser.add_argument("--fp16-norms", action="store_true", help="q4f16: convert the normalisation subgraphs to float16 too")
    parser.add_argument("--no-verify", action="store_true", help="skip the CPU forward-pass check of model_q4.onnx")
    args = parser.parse_args(argv)
    if not (args.q4 or args.q4f16):
        parser.error("choose --q4 and/or --q4f16")
    if args.q4f16:
        # Checked before any work, so that a missing converter does not stop the run halfway.
        try:
            importlib.import_module("onnxconverter_common")
        except ModuleNotFoundError as error:
            raise SystemExit(f"--q4f16 needs the module {error.name!r} (onnxconverter-common): "
                             "pip install -r export/requirements-export.txt, or quantize with --q4 only") from error
    import onnx

    source = os.path.join(args.folder, "onnx", "model.onnx")
    if not os.path.isfile(source):
        raise SystemExit(f"{source} not found: run export/export_onnx.sh first")
    if args.q4:
        target = os.path.join(args.folder, "onnx", "model_q4.onnx")
        save_model(quantize_q4(onnx.load(source, load_external_data=True), args.block_size), target)
        problems = check_io(target)
        if problems:
            raise SystemExit(f"{target}: " + "; ".join(problems))
        if not args.no_verify:
            verify(target)
        print(f"wrote {target}")
    if args.q4f16:
        target = os.path.join(args.folder, "onnx", "model_q4f16.onnx")
        save_model(quantize_q4(to_float16(source, keep_norm_fp32=not args.fp16_norms), args.block_size), target)
        problems = check_io(target)
        if problems:
            raise SystemExit(f"{target}: " + "; ".join(problems))
        if not args.no_verify:
            verify(target)
        print(f"wrote {target}")
    external = update_external_data_config(args.folder)
    print(f"external data: {sorted(external) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
