import json
from pathlib import Path

import pytest

DEMO_PORTFOLIO = Path(__file__).resolve().parents[2] / "credits" / "fixtures" / "demo_portfolio.jsonl"


def customer_line(**overrides) -> dict:
    line = {
        "cedula": "1020304050",
        "full_name": "Ana Lucía Gómez Restrepo",
        "phone": "573001234567",
        "birth_date": "1961-04-02",
        "cedula_issue_date": "1979-05-10",
        "credits": [
            {
                "number": "LIB-000123",
                "pagaduria": "Colpensiones",
                "disbursed_amount": "15000000.00",
                "balance": "8250000.00",
                "installments_total": 60,
                "installments_paid": 27,
                "installment_amount": "410000.00",
                "next_deduction_date": "2026-12-01",
                "status": "active",
            }
        ],
        "applications": [{"number": "SOL-2026-0042", "stage": "estudio", "updated_at": "2026-11-20T15:04:00-05:00"}],
    }
    line.update(overrides)
    return line


@pytest.fixture
def write_jsonl(tmp_path):
    """Write lines (dicts are JSON-encoded, strings written as-is) to a temp .jsonl file."""
    counter = iter(range(1000))

    def write(*lines) -> str:
        path = tmp_path / f"export-{next(counter)}.jsonl"
        path.write_text(
            "".join((json.dumps(x, ensure_ascii=False) if isinstance(x, dict) else x) + "\n" for x in lines),
            encoding="utf-8",
        )
        return str(path)

    return write
