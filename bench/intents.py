"""How long the local intent recogniser takes per message (target: under 1 ms a call on the
2-core dev box), over the evaluation set's utterances. Moved here from the test suite: a
speed limit inside a test fails on a loaded machine and passes on a fast one for nothing.

    .venv/bin/python bench/intents.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proalto.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.pop("OPENAI_API_KEY", None)  # the local backend only

import django  # noqa: E402

django.setup()

from conversations.bot.intents import recognise  # noqa: E402
from conversations.bot.intents.model import CORPUS_DIR  # noqa: E402
from conversations.management.commands.evaluate_intents import read_labelled_tsv  # noqa: E402

TARGET_MS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    utterances = [text for _, text in read_labelled_tsv(CORPUS_DIR / "intents_eval.tsv")]
    for text in utterances:  # warm-up: lexicon loaded, caches filled
        recognise(text)
    per_call = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for text in utterances:
            recognise(text)
        per_call.append((time.perf_counter() - started) / len(utterances) * 1000)
    median = statistics.median(per_call)
    print(f"local recogniser: {len(utterances)} utterances x {args.rounds} rounds")
    print(f"per call: median {median:.3f} ms, best {min(per_call):.3f} ms, worst round {max(per_call):.3f} ms")
    print(f"target < {TARGET_MS} ms: {'met' if median < TARGET_MS else 'NOT met'}")
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
