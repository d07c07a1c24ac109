#!/usr/bin/env bash
# Node-free checks of the training bundle's Python template (src/bundle/template/), for CI:
#   1. byte-compiles every .py (python3 -m compileall);
#   2. lints with pyflakes (Debian package pyflakes3) when it is installed;
#   3. bash -n on every .sh / .sbatch and the fake Slurm commands (tests/fake_slurm);
#   4. parses every .yaml (PyYAML; skipped with a message when absent) and every .json;
#   5. runs the bundle's unittest modules that need only the stdlib and PyYAML (none skipped
#      where PLURALSCOPE_REQUIRE_BUNDLE_ENV=1);
#   6. runs the tests that need torch (tests/test_losses.py) or onnx (tests/test_export_layout.py)
#      with a python3 that has it: $PYTHON_TORCH / $PYTHON_ONNX, else .venv-bundle's (made by
#      scripts/bundle-env.sh), else $PYTHON / python3, else Debian's /usr/bin/python3
#      (apt-get install python3-torch python3-onnx); skipped, and said so, where none has it.
# Exits non-zero on the first failing step. Needs python3 only; torch and onnx are used where they exist.
set -euo pipefail
cd "$(dirname "$0")/.."
TEMPLATE=src/bundle/template
PY=${PYTHON:-python3}

echo "== compileall"
# -q: errors only; compiled files go to a temporary prefix so the tree stays clean.
PYCACHE="$(mktemp -d)"
trap 'rm -rf "$PYCACHE"' EXIT
PYTHONPYCACHEPREFIX="$PYCACHE" $PY -m compileall -q "$TEMPLATE"

echo "== pyflakes"
if command -v pyflakes3 >/dev/null 2>&1; then
  pyflakes3 "$TEMPLATE"
elif $PY -m pyflakes --version >/dev/null 2>&1; then
  $PY -m pyflakes "$TEMPLATE"
else
  echo "pyflakes not installed (apt-get install -y pyflakes3): lint skipped"
fi

echo "== bash -n"
count=0
while IFS= read -r -d '' script; do
  bash -n "$script"
  count=$((count + 1))
done < <(find "$TEMPLATE" -type f \( -name '*.sh' -o -name '*.sbatch' -o -path '*/fake_slurm/*' \) -print0)
echo "$count shell scripts parse"

echo "== yaml and json"
$PY - "$TEMPLATE" <<'PYEOF'
import glob, json, os, sys
root = sys.argv[1]
jsons = sorted(glob.glob(os.path.join(root, "**", "*.json"), recursive=True))
for path in jsons:
    with open(path, encoding="utf-8") as handle:
        json.load(handle)
print(f"{len(jsons)} json files parse")
yamls = sorted(glob.glob(os.path.join(root, "**", "*.yaml"), recursive=True))
try:
    import yaml
except ImportError:
    print(f"PyYAML not installed: {len(yamls)} yaml files not parsed")
    sys.exit(0)
for path in yamls:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        sys.exit(f"{path}: expected a mapping")
print(f"{len(yamls)} yaml files parse")
PYEOF

# The modules that need torch or onnx run below, each with an interpreter that has it (run_with);
# this pass runs every other module, so nothing here is skipped for a missing library.
LIBRARY_TESTS=(test_losses test_export_layout)
echo "== unittest (stdlib and PyYAML)"
mapfile -t STDLIB_TESTS < <(cd "$TEMPLATE/tests" && ls test_*.py | sed 's/\.py$//' | grep -vxF "${LIBRARY_TESTS[@]/#/-e}")
if ! OUT=$(cd "$TEMPLATE/tests" && PYTHONPYCACHEPREFIX="$PYCACHE" $PY -m unittest "${STDLIB_TESTS[@]}" 2>&1); then
  echo "$OUT"
  exit 1
fi
echo "$OUT" | tail -n 3
if grep -q "skipped=" <<<"$OUT"; then
  # Only PyYAML can be missing here (the configs' tests need it).
  if [ "${PLURALSCOPE_REQUIRE_BUNDLE_ENV:-}" = 1 ]; then
    echo "$OUT" | grep "skipped '" >&2
    echo "tests were skipped, but PLURALSCOPE_REQUIRE_BUNDLE_ENV=1 says the environment is installed" >&2
    exit 1
  fi
  echo "(some tests were SKIPPED: apt-get install python3-yaml)"
fi

# Tests that need one library beyond the stdlib, each run with the first interpreter that has it.
run_with() {  # run_with <module> <env var naming an interpreter> <test module> <what it checks>
  local module=$1 override=$2 test=$3 what=$4 candidate found=""
  echo "== unittest with $module ($what)"
  for candidate in "${!override:-}" "${BUNDLE_VENV:-.venv-bundle}/bin/python" "$PY" /usr/bin/python3; do
    # A relative path (.venv-bundle/bin/python) made absolute: the tests run from their own folder.
    [[ "$candidate" == */* && "$candidate" != /* ]] && candidate="$PWD/$candidate"
    if [ -n "$candidate" ] && "$candidate" -c "import $module" >/dev/null 2>&1; then
      found="$candidate"
      break
    fi
  done
  if [ -z "$found" ]; then
    if [ "${PLURALSCOPE_REQUIRE_BUNDLE_ENV:-}" = 1 ]; then
      echo "no python3 with $module, but PLURALSCOPE_REQUIRE_BUNDLE_ENV=1 says one is installed: $test cannot be skipped" >&2
      return 1
    fi
    echo "no python3 with $module (apt-get install python3-$module): $test was SKIPPED"
    return 0
  fi
  echo "$found: $module $("$found" -c "import $module; print($module.__version__)")"
  (cd "$TEMPLATE/tests" && PYTHONPYCACHEPREFIX="$PYCACHE" "$found" -m unittest "$test")
}
run_with torch PYTHON_TORCH test_losses "WSFT / WDPO losses"
run_with onnx PYTHON_ONNX test_export_layout "export/layout.py graph checks"
