#!/usr/bin/env bash
# Exports a merged Hugging Face model to the transformers.js folder layout Pluralscope loads.
#
#     bash export/export_onnx.sh MODEL_DIR OUT_DIR [--no-quantize] [--no-verify]
#
# MODEL_DIR: a merged folder (export/merge_lora.py, or VeRL's model_merger output).
# OUT_DIR gets config.json, generation_config.json, tokenizer.json, tokenizer_config.json and
# onnx/model.onnx (fp32), onnx/model_q4.onnx and onnx/model_q4f16.onnx.
#
# Run it in the *export* environment, not the training one: Optimum ONNX (optimum-onnx) pins an
# older transformers (4.x) than training uses (5.x), so it gets its own virtual environment:
#     python3 -m venv .venv-export && . .venv-export/bin/activate
#     pip install -r export/requirements-export.txt
#
# Uses `optimum-cli export onnx --task text-generation-with-past` (a decoder with key/value cache
# inputs and outputs, the graph transformers.js runs), then export/layout.py and export/quantize.py.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"

if [ $# -lt 2 ]; then
  echo "usage: bash export/export_onnx.sh MODEL_DIR OUT_DIR [--no-quantize] [--no-verify]" >&2
  exit 2
fi
MODEL="$1"
OUT="$2"
shift 2
QUANTIZE=1
VERIFY=()
for arg in "$@"; do
  case "$arg" in
    --no-quantize) QUANTIZE=0 ;;
    --no-verify) VERIFY=(--no-verify) ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

command -v optimum-cli >/dev/null || { echo "optimum-cli not found: pip install -r export/requirements-export.txt (in its own venv)" >&2; exit 1; }

EXPORTED="$(mktemp -d)"
trap 'rm -rf "$EXPORTED"' EXIT

OPSET_ARGS=()
[ -n "${OPSET:-}" ] && OPSET_ARGS=(--opset "$OPSET")
optimum-cli export onnx --model "$MODEL" --task text-generation-with-past "${OPSET_ARGS[@]}" "$EXPORTED"

python3 "$HERE/layout.py" --exported "$EXPORTED" --model "$MODEL" --out "$OUT" "${VERIFY[@]}"
if [ "$QUANTIZE" = 1 ]; then
  python3 "$HERE/quantize.py" "$OUT" --q4 --q4f16 "${VERIFY[@]}"
fi
echo "done: $OUT"
echo "load it in Pluralscope: copy it to public/models/<name>/ of a self-hosted site, or upload it to the Hub and use its id"
