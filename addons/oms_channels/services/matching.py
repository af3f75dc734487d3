"""Find the existing customer and products of a channel order, on plain look-up tables the caller builds from the
database (so matching a whole batch costs a few queries, not a few per order).

The keys of the tables must be normalised with the same ``normalize_*`` functions (see :func:`index_by`).
"""

import re
from collections.abc import Iterable

from .channel_order import ChannelOrder, ChannelOrderError, Customer, OrderLine

# Phone numbers are compared on their last 9 digits: the same number arrives as "+34 612 345 678",
# "0034612345678" or "612345678" depending on the channel, and 9 digits is the national number length in Spain and
# Portugal (and the subscriber part of most EU numbers), so the country prefix, written in whatever way, drops out.
PHONE_DIGITS_COMPARED = 9
# Fewer digits than this identify nobody (extensions, short codes), so they never match.
PHONE_MIN_DIGITS = 6

_NOT_DIGITS_RE = re.compile(r"\D")
_NOT_ALPHANUMERIC_RE = re.compile(r"[^A-Za-z0-9]")


def normalize_email(value: str | None) -> str:
    return (value or "").strip().lower()


def normalize_vat(value: str | None) -> str:
    """Upper-case letters and digits only (no spaces, dots, dashes...); the country prefix stays:
    "es-b.12345678" -> "ESB12345678"."""
    return _NOT_ALPHANUMERIC_RE.sub("", value or "").upper()


def normalize_phone(value: str | None) -> str:
    """The last 9 digits (see PHONE_DIGITS_COMPARED); "" for numbers too short to identify anyone."""
    digits = _NOT_DIGITS_RE.sub("", value or "")
    if len(digits) < PHONE_MIN_DIGITS:
        return ""
    return digits[-PHONE_DIGITS_COMPARED:]


def index_by(pairs: Iterable[tuple[str | None, int]], normalize) -> dict[str, int]:
    """Look-up table {normalised key: id} from (raw key, id) pairs; empty keys are skipped and the first id seen
    wins, so pass the pairs in order of preference (e.g. oldest partner first)."""
    table: dict[str, int] = {}
    for raw_key, record_id in pairs:
        key = normalize(raw_key)
        if key and key not in table:
            table[key] = record_id
    return table


def customer_keys(customer: Customer) -> list[tuple[str, str]]:
    """[(how, normalized key)] a customer is matched by, in this order, the empty ones left out: "email" first, as
    it is what a customer types at every checkout; "vat" identifies companies; "phone" last, as phones are shared
    (a switchboard, a family)."""
    keys = (
        ("email", normalize_email(customer.email)),
        ("vat", normalize_vat(customer.vat)),
        ("phone", normalize_phone(customer.phone)),
    )
    return [(how, key) for how, key in keys if key]


def match_customer(
    customer: Customer, by_email: dict[str, int], by_vat: dict[str, int], by_phone: dict[str, int]
) -> tuple[int | None, str]:
    """(partner id, how) with how in "email", "vat", "phone" (see :func:`customer_keys`) or (None, "new") when
    nobody matches."""
    tables = {"email": by_email, "vat": by_vat, "phone": by_phone}
    for how, key in customer_keys(customer):
        if key in tables[how]:
            return tables[how][key], how
    return None, "new"


def match_product(
    line: OrderLine, by_binding: dict[str, int], by_sku: dict[str, int], by_barcode: dict[str, int]
) -> tuple[int | None, str]:
    """(product id, how) with how in "binding", "sku", "barcode", or (None, "unknown").

    The channel's own binding wins (channel_product_id, else the SKU the channel uses), then our SKU, then the
    barcode. Keys are compared as given, stripped."""
    sku = (line.sku or "").strip()
    channel_product_id = (line.channel_product_id or "").strip()
    barcode = (line.barcode or "").strip()
    for how, key, table in (
        ("binding", channel_product_id, by_binding),
        ("binding", sku, by_binding),
        ("sku", sku, by_sku),
        ("barcode", barcode, by_barcode),
    ):
        if key and key in table:
            return table[key], how
    return None, "unknown"


class UnknownProductsError(ChannelOrderError):
    """Some lines match no product; the message names every one of them so they can be created or bound."""

    def __init__(self, lines: Iterable[OrderLine]):
        self.lines = tuple(lines)
        descriptions = list(dict.fromkeys(describe_line(line) for line in self.lines))
        super().__init__("unknown_product", "unknown product(s): " + ", ".join(descriptions))


def describe_line(line: OrderLine) -> str:
    """'SKU OMS-999 / barcode 123' for messages."""
    parts = [
        f"{label} {value}"
        for label, value in (("SKU", line.sku), ("barcode", line.barcode), ("channel product", line.channel_product_id))
        if value
    ]
    return " / ".join(parts)


def match_lines(
    order: ChannelOrder, by_binding: dict[str, int], by_sku: dict[str, int], by_barcode: dict[str, int]
) -> list[tuple[int, str]]:
    """(product id, how) of every line of the order, in line order (see :func:`match_product`);
    UnknownProductsError if any line matches nothing."""
    matches = [match_product(line, by_binding, by_sku, by_barcode) for line in order.lines]
    unknown = [line for line, (product_id, _how) in zip(order.lines, matches, strict=True) if product_id is None]
    if unknown:
        raise UnknownProductsError(unknown)
    return matches
