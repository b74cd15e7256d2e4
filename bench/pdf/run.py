"""Benchmark: how long issuing a paz y salvo takes (render the PDF with xhtml2pdf and store
it with the configured storage), against a floor measured in the same run (a one-line
PDF, stored the same way), so the figure means something on any machine.

    DJANGO_SETTINGS_MODULE=proalto.settings .venv/bin/python bench/pdf/run.py [--runs 30]

Uses a throwaway SQLite database and (with local storage) a temporary media folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _setup(tmp: str) -> None:
    # Before django.setup(): nothing of the real database or media folder is touched.
    os.environ["PROALTO_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proalto.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")  # the embedded default; the settings default to off
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _time(fn, runs: int) -> list[float]:
    fn()  # warm-up: fonts, templates, first storage call
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        _setup(tmp)
        from django.utils import timezone

        from credits.models import Credit, Customer
        from documents.models import Document, verification_code_new
        from documents.pdf import cancelled_credits_snapshot, paz_y_salvo_render, render_pdf
        from documents.services import document_store_generated

        customer = Customer.objects.create(
            cedula="79456123", full_name="Carlos Alberto Martínez Ospina", phone="573009876543"
        )
        credit = Credit.objects.create(
            customer=customer,
            number="LIB-000087",
            pagaduria="FOPEP",
            disbursed_amount=9_000_000,
            balance=0,
            installments_total=48,
            installments_paid=48,
            installment_amount=230_000,
            status="paid",
        )
        snapshot = cancelled_credits_snapshot([credit])

        def paz_y_salvo():
            data = paz_y_salvo_render(
                customer=customer, snapshot=snapshot, code=verification_code_new(), issued_at=timezone.now()
            )
            document_store_generated(
                data=data,
                kind=Document.Kind.PAZ_Y_SALVO,
                mime_type="application/pdf",
                filename="p.pdf",
                customer=customer,
            )

        def floor():
            data = render_pdf("<p>ProAlto</p>")
            document_store_generated(
                data=data, kind=Document.Kind.PAZ_Y_SALVO, mime_type="application/pdf", filename="f.pdf"
            )

        work = _time(paz_y_salvo, args.runs)
        base = _time(floor, args.runs)
        from django.conf import settings

        storage = settings.STORAGES["default"]["BACKEND"].rsplit(".", 1)[-1]
        median, p90, floor_median = statistics.median(work), _percentile(work, 0.9), statistics.median(base)
        print(
            f"paz_y_salvo median {median:.0f} ms (p90 {p90:.0f} ms); floor (1-line PDF) {floor_median:.0f} ms; "
            f"ratio {median / floor_median:.1f}x  [{args.runs} runs, {storage}]"
        )


if __name__ == "__main__":
    main()
