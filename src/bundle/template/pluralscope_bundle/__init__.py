"""Pure-Python helpers shared by the Pluralscope training bundle's scripts.

Everything in this package except ``losses.py`` (torch) and ``weighted.py`` (TRL) uses only the
Python standard library, so it can be imported (and unit-tested) on a machine without torch,
transformers or TRL; ``losses.py`` needs torch alone (Debian's python3-torch is enough for its
tests). The GPU-side code lives in ``train.py``, ``eval_server.py``, ``weighted.py`` and ``export/``.
"""

__version__ = "0.1.0"

BUNDLE_FORMAT = "pluralscope.bundle"
BUNDLE_VERSION = 1

# The training methods a bundle can carry, and the data format each one reads.
METHOD_FORMATS = {
    "sft": "sft",
    "lora-sft": "sft",
    "wsft": "wsft",
    "dpo": "dpo",
    "wdpo": "wdpo",
    "grpo": "grpo",
}
