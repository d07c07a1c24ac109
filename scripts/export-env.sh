#!/usr/bin/env bash
# Makes .venv-export: the training bundle's EXPORT environment (src/bundle/template/export/
# requirements-export.txt: optimum-onnx, transformers 4.57, torch, onnxruntime, accelerate), in which
# tests/bundle/optimum-export.test.ts runs export/export_onnx.sh with Optimum itself.
#     bash scripts/export-env.sh                      # from your package index (PyPI has every pin)
#     bash scripts/export-env.sh ./optimum ./optimum-onnx ./huggingface_hub
#         extra pip arguments, installed in the same step: e.g. source checkouts of optimum (tag v2.1.0),
#         optimum-onnx (branch v0.1.0-release) and huggingface_hub (tag v0.36.2) where the index lacks them
#     EXPORT_WITHOUT="onnxconverter-common" bash scripts/export-env.sh ...
#         leaves out the named requirements (said so; here: no q4f16, which needs onnxconverter-common)
# Exits non-zero, leaving no half-made environment, when pip cannot install the set. Not part of npm
# test's set-up: optimum-onnx is not on every index (this project's CI has none); `npm run test:export`
# runs that test.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${EXPORT_VENV:-.venv-export}
PY=${PYTHON:-python3}
CHECK='import optimum.exporters.onnx, onnxruntime, onnx_ir, accelerate'
if [ -x "$VENV/bin/python" ] && [ -x "$VENV/bin/optimum-cli" ] && "$VENV/bin/python" -c "$CHECK" >/dev/null 2>&1; then
  echo "$VENV is ready"
  exit 0
fi
REQ="$(mktemp)"
trap 'rm -f "$REQ"' EXIT
cp src/bundle/template/export/requirements-export.txt "$REQ"
for name in ${EXPORT_WITHOUT:-}; do
  grep -qiE "^$name([=<>~!\[ ]|$)" "$REQ" || { echo "EXPORT_WITHOUT: $name is not in requirements-export.txt" >&2; exit 2; }
  sed -i -E "/^$name([=<>~!\[ ]|$)/Id" "$REQ"
  echo "leaving out $name (EXPORT_WITHOUT)"
done
rm -rf "$VENV"
"$PY" -m venv "$VENV"
if ! "$VENV/bin/pip" install --quiet --retries 0 --timeout 30 --disable-pip-version-check -r "$REQ" "$@" \
    2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2); then
  rm -rf "$VENV"
  echo "could not install the export environment (see pip's message above)" >&2
  exit 1
fi
"$VENV/bin/python" -c 'import optimum.version, optimum.onnx.version, transformers, torch, onnx, onnxruntime as ort, accelerate
print("made", __import__("sys").prefix, "optimum", optimum.version.__version__, "optimum-onnx", optimum.onnx.version.__version__, "transformers", transformers.__version__, "torch", torch.__version__, "onnx", onnx.__version__, "onnxruntime", ort.__version__, "accelerate", accelerate.__version__)'
