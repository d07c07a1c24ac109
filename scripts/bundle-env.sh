#!/usr/bin/env bash
# Makes .venv-bundle: the training bundle's own environment (src/bundle/template/requirements.txt)
# plus onnx, onnxruntime and onnx-ir, so that `npm test` can run the bundle's smoke_test.sh with the real
# TRL on CPU and its export scripts (layout.py, quantize.py --q4) on the synthetic model.
#     bash scripts/bundle-env.sh            # once; 1.5 GB on disk (du -sh .venv-bundle), mostly torch's CPU build
# Exits non-zero, leaving no half-made environment, when pip cannot install the pinned versions
# (no package index reachable, say); the tests that need it then say SKIPPED.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${BUNDLE_VENV:-.venv-bundle}
PY=${PYTHON:-python3}
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import trl, accelerate, onnxruntime, onnx_ir' >/dev/null 2>&1; then
  echo "$VENV is ready"
  exit 0
fi
rm -rf "$VENV"
"$PY" -m venv "$VENV"
# No retries: with no index reachable pip fails at once instead of backing off for minutes.
# pip's notes about index folders that lack a package are dropped; its errors are kept.
if ! "$VENV/bin/pip" install --quiet --retries 0 --timeout 30 --disable-pip-version-check \
    -r src/bundle/template/requirements.txt "onnx==1.23.*" "onnxruntime==1.30.*" "onnx-ir==1.0.*" \
    2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2); then
  rm -rf "$VENV"
  echo "could not install the bundle's training environment (see pip's message above)" >&2
  exit 1
fi
"$VENV/bin/python" -c 'import torch, transformers, trl, peft, accelerate, datasets, onnx, onnxruntime as ort
print("made", __import__("sys").prefix, "torch", torch.__version__, "transformers", transformers.__version__, "trl", trl.__version__, "peft", peft.__version__, "accelerate", accelerate.__version__, "datasets", datasets.__version__, "onnx", onnx.__version__, "onnxruntime", ort.__version__)'
