"""Masking of personal data for logs and staff screens: show just enough to recognise it."""

import re


def mask_phone(value: str | None) -> str:
    digits = re.sub(r"\D", "", value or "")
    if len(digits) < 6:
        return "•" * len(digits)
    return f"{digits[:2]}•••••{digits[-4:]}" if len(digits) > 6 else "•••" + digits[-3:]


def mask_cedula(value: str | None) -> str:
    digits = re.sub(r"\D", "", value or "")
    if len(digits) <= 3:
        return "•" * len(digits)
    return "•" * (len(digits) - 3) + digits[-3:]


def mask_amount(_value) -> str:
    return "$•••"


def mask_bsuid(value: str | None) -> str:
    """A business-scoped user ID ("CO.13491208655302741918") as "CO.•••1918": the country and
    the last four characters, like a phone."""
    if not value:
        return ""
    country, _, rest = value.rpartition(".")
    return f"{country}.•••{rest[-4:]}" if country else f"•••{rest[-4:]}"


def mask_identifier(value: str | None) -> str:
    """A WhatsApp identifier as stored where either may stand (a consent proof): a BSUID
    masked as one, a phone as a phone."""
    return mask_bsuid(value) if value and "." in value else mask_phone(value)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_NUMBER = re.compile(r"\d[\d ./,-]{2,}\d|\d{3,}")


def mask_free_text(value: str | None) -> str:
    """What a customer typed, with every number of three or more digits (cédulas, phones,
    amounts, dates, codes) and every e-mail address replaced, so the wording stays readable."""
    text = _EMAIL.sub("•••@•••", value or "")
    return _NUMBER.sub("•••", text)
