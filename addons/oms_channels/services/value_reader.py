"""Typed values read from a channel's JSON (an order, a cart event), every problem collected with the path of
its field instead of stopping at the first, so whoever fixes the payload sees them all.

``null``, an absent key and an empty string all mean "not given"; numbers may be JSON numbers or numeric strings;
text fields accept numbers too (a zip code sent as ``28014``); text is cleaned of what a database cannot hold (see
:func:`.payload.clean_text`); dates are ISO 8601, a date-time without offset taken as UTC.
"""

import json
import math
import re
from datetime import datetime, timezone

from .payload import ChannelOrderError, clean_text, json_type

MAX_TEXT_LENGTH = 1_000
MAX_NOTE_LENGTH = 10_000
# Above any real quantity or price, low enough that quantity x price x lines stays a finite float.
MAX_NUMBER = 1e21

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_datetime(text: str) -> datetime:
    """ISO 8601 date-time -> aware datetime in UTC (naive values are taken as UTC). Raises ValueError."""
    text = text.strip()
    # Python 3.10's fromisoformat does not know the "Z" suffix.
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def format_datetime(value: datetime) -> str:
    """Aware (or naive UTC) datetime -> ISO 8601 in UTC with a "Z" suffix, keeping microseconds when present."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat() + "Z"


def show(value) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class ValueReader:
    """Reads typed values, collecting every problem (category, message) and the paths of the cleaned texts."""

    def __init__(self):
        self.problems: list[tuple[str, str]] = []
        self.cleaned: list[str] = []

    def problem(self, category: str, message: str) -> None:
        self.problems.append((category, message))

    def raise_problems(self) -> None:
        """ChannelOrderError with every problem, joined with "; ", of the category of the first; none: nothing."""
        if self.problems:
            category, _message = self.problems[0]
            raise ChannelOrderError(
                category, "; ".join(message for _category, message in self.problems), problems=tuple(self.problems)
            )

    def mapping(self, data: dict, key: str, path: str, *, required: bool) -> dict | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem("missing_field", f"{path} is required")
            return None
        if not isinstance(value, dict):
            self.problem("malformed", f"{path} must be an object (got {json_type(value)})")
            return None
        return value

    def text(
        self,
        data: dict,
        key: str,
        path: str,
        *,
        required: bool = False,
        max_length: int = MAX_TEXT_LENGTH,
        multiline: bool = False,
    ) -> str | None:
        value = data.get(key)
        if isinstance(value, str):
            cleaned = clean_text(value, multiline=multiline)
            if cleaned != value and cleaned.strip() != value.strip():
                self.cleaned.append(path)
            value = cleaned
        if is_blank(value):
            if required:
                self.problem("missing_field", f"{path} is required")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem("invalid_value", f"{path} must be a string (got {json_type(value)})")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem("invalid_value", f"{path} must be a string (got {show(value)})")
            return None
        text = str(value).strip()
        if multiline and max_length == MAX_TEXT_LENGTH:
            max_length = MAX_NOTE_LENGTH
        if len(text) > max_length:
            self.problem("invalid_value", f"{path} must be at most {max_length} characters (got {len(text)})")
        return text

    def email(self, data: dict, key: str, path: str) -> str | None:
        email = self.text(data, key, path)
        if email and not _EMAIL_RE.match(email):
            self.problem("invalid_value", f"{path} is not an e-mail address (got {show(email)})")
        return email

    def code(self, data: dict, key: str, path: str, length: int, description: str) -> str | None:
        """ISO letter codes (currency, country), upper-cased."""
        value = data.get(key)
        if is_blank(value):
            self.problem("missing_field", f"{path} is required")
            return None
        if not (
            isinstance(value, str)
            and len(value.strip()) == length
            and value.strip().isascii()
            and value.strip().isalpha()
        ):
            self.problem("invalid_value", f"{path} must be {description} (got {show(value)})")
            return None
        return value.strip().upper()

    def boolean(self, data: dict, key: str, path: str) -> bool:
        value = data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem("invalid_value", f"{path} must be true or false (got {show(value)})")
            return False
        return value

    def date(self, data: dict, key: str, path: str) -> datetime | None:
        value = data.get(key)
        if is_blank(value):
            return None
        try:
            if not isinstance(value, str):
                raise TypeError
            return parse_datetime(value)
        except (TypeError, ValueError):
            self.problem("invalid_value", f"{path} must be an ISO 8601 date-time (got {show(value)})")
            return None

    def number(
        self,
        data: dict,
        key: str,
        path: str,
        *,
        required: bool = False,
        greater_than: float | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float | None:
        value = data.get(key)
        if is_blank(value):
            if required:
                self.problem("missing_field", f"{path} is required")
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise TypeError
            number = float(value)
            if not math.isfinite(number):
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            self.problem("invalid_value", f"{path} must be a number (got {show(value)})")
            return None
        if abs(number) > MAX_NUMBER:
            self.problem("invalid_value", f"{path} must be at most {MAX_NUMBER:g} (got {show(value)})")
            return None
        if greater_than is not None and number <= greater_than:
            self.problem("invalid_value", f"{path} must be greater than {greater_than:g} (got {show(value)})")
        elif minimum is not None and maximum is not None and not minimum <= number <= maximum:
            self.problem("invalid_value", f"{path} must be between {minimum:g} and {maximum:g} (got {show(value)})")
        elif minimum is not None and number < minimum:
            self.problem("invalid_value", f"{path} must be at least {minimum:g} (got {show(value)})")
        return number
