"""Evaluate the intent recogniser on a labelled TSV file (``intent<TAB>utterance``)."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conversations.bot.intents import INTENTS, recognise


def read_labelled_tsv(path: Path) -> list[tuple[str, str]]:
    """Rows of a labelled file; the first line is a header. Raises CommandError."""
    if not path.is_file():
        raise CommandError(f"File not found: {path}")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from None
    if not lines:
        raise CommandError(f"{path} is empty (expected a header line 'intent<TAB>utterance')")
    rows: list[tuple[str, str]] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise CommandError(f"{path}, line {number}: expected 'intent<TAB>utterance', got {len(parts)} field(s)")
        intent, utterance = parts[0].strip(), parts[1].strip()
        if intent not in INTENTS:
            raise CommandError(f"{path}, line {number}: unknown intent {intent!r}")
        if not utterance:
            raise CommandError(f"{path}, line {number}: empty utterance")
        rows.append((intent, utterance))
    if not rows:
        raise CommandError(f"{path} has no labelled lines")
    return rows


class Command(BaseCommand):
    help = "Evaluate the intent recogniser on a TSV file of 'intent<TAB>utterance' lines."

    def add_arguments(self, parser):
        parser.add_argument("file", help="TSV file with a header line, then intent<TAB>utterance")
        parser.add_argument(
            "--min-accuracy",
            type=float,
            default=None,
            help="fail (non-zero exit) when the overall accuracy is below this fraction, e.g. 0.95",
        )
        parser.add_argument("--examples", type=int, default=2, help="example utterances shown per confusion")

    def handle(self, *args, **options):
        rows = read_labelled_tsv(Path(options["file"]))
        min_accuracy = options["min_accuracy"]
        if min_accuracy is not None and not 0.0 <= min_accuracy <= 1.0:
            raise CommandError("--min-accuracy must be a fraction between 0 and 1")

        recognise("hola")  # warm-up: the lexicon is compiled on first use
        totals: Counter[str] = Counter()
        correct: Counter[str] = Counter()
        confusions: dict[tuple[str, str], list[str]] = defaultdict(list)
        started = time.perf_counter()
        for expected, utterance in rows:
            got = recognise(utterance).intent
            totals[expected] += 1
            if got == expected:
                correct[expected] += 1
            else:
                confusions[(expected, got)].append(utterance)
        elapsed = time.perf_counter() - started

        write = self.stdout.write
        width = max(len(i) for i in INTENTS)
        write(f"{'intent'.ljust(width)}  correct/total  accuracy")
        for intent in INTENTS:
            if totals[intent]:
                ratio = correct[intent] / totals[intent]
                write(f"{intent.ljust(width)}  {f'{correct[intent]}/{totals[intent]}':>13}  {ratio:8.1%}")
        n_correct, n_total = sum(correct.values()), sum(totals.values())
        overall = n_correct / n_total
        write(f"Overall accuracy: {n_correct}/{n_total} ({overall:.1%})")
        write(f"Time per utterance: {elapsed / n_total * 1000:.3f} ms")
        if confusions:
            write("Confusions (expected -> got: count):")
            ordered = sorted(confusions.items(), key=lambda item: (-len(item[1]), item[0]))
            for (expected, got), utterances in ordered:
                examples = "; ".join(repr(u) for u in utterances[: options["examples"]])
                write(f"  {expected} -> {got}: {len(utterances)}  e.g. {examples}")
        else:
            write("Confusions: none")

        if min_accuracy is not None and overall < min_accuracy:
            raise CommandError(f"Overall accuracy {overall:.1%} is below the minimum {min_accuracy:.1%}")
