#!/usr/bin/env bash
# The training bundle's check on a GPU machine that has torch (CUDA), transformers, peft and accelerate
# but no network and no trl/datasets (the machine a development session may be lent; see README,
# "Training bundles"). Two steps, one per machine:
#
#   bash scripts/gpu-check.sh wheels     # here, with a pip index: the pure-Python wheels of trl, datasets,
#                                        # dill and multiprocess (requirements.txt's pins) into bench/tmp/gpu-wheels
#   bash scripts/gpu-check.sh run        # there, from the repository root, with bench/tmp/gpu-wheels carried:
#                                        # unpacks them onto PYTHONPATH and runs smoke_test.sh with SMOKE_DEVICE=cuda
#
# Wheels are unpacked rather than pip-installed so that no index is needed there; each keeps its
# *.dist-info/METADATA, which importlib.metadata (and so transformers' version checks) reads.
set -euo pipefail
cd "$(dirname "$0")/.."
WHEELS=${GPU_WHEELS:-bench/tmp/gpu-wheels}
REQ=src/bundle/template/requirements.txt

pin() { grep -E "^$1==" "$REQ" | head -n 1; }

case "${1:-}" in
  wheels)
    mkdir -p "$WHEELS"
    # The GPU machine's Python is 3.12; these four are pure Python (multiprocess's wheels are per Python
    # version, the newest one pip finds is taken).
    python3 -m pip download --no-deps --only-binary=:all: --dest "$WHEELS" "$(pin trl)" "$(pin datasets)" dill multiprocess
    ls -l "$WHEELS"
    ;;
  run)
    ls "$WHEELS"/trl-*.whl "$WHEELS"/datasets-*.whl >/dev/null 2>&1 || {
      echo "no wheels in $WHEELS: make them with 'bash scripts/gpu-check.sh wheels' and carry the folder" >&2
      exit 1
    }
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
    SITE="$(mktemp -d)"
    for wheel in "$WHEELS"/*.whl; do python3 -m zipfile -e "$wheel" "$SITE"; done
    export PYTHONPATH="$SITE${PYTHONPATH:+:$PYTHONPATH}"
    python3 -c 'import torch, transformers, peft, accelerate, trl, datasets; print("torch", torch.__version__, "transformers", transformers.__version__, "peft", peft.__version__, "accelerate", accelerate.__version__, "trl", trl.__version__, "datasets", datasets.__version__)'
    start=$SECONDS
    SMOKE_DEVICE=cuda bash src/bundle/template/smoke_test.sh
    echo "gpu check: $((SECONDS - start)) s"
    ;;
  *)
    echo "usage: bash scripts/gpu-check.sh wheels|run" >&2
    exit 2
    ;;
esac
