"""``scripts/map-order.sh <platform> <file> [<file>...]``: what a platform's order becomes, without a database.

For support staff and anyone trying a new sample: prints the channel order (JSON) that each order of the files
becomes, then every problem — what the mapping could not read (the platform's field named), what the channel-order
schema refuses, and totals that do not add up to the platform's grand total. Exit status 0 when there is none, 1
when there are problems, 2 when the files cannot be read.

Files:

- ``oms``: a channel order (JSON);
- ``shopify``: a GraphQL ``Order`` node, an ``orders`` page (``{"data": {"orders": {"nodes": [...]}}}``), or an order
  webhook body;
- ``woocommerce``, ``magento``: an order (JSON), a list of orders, or a page (Magento's ``items``), or the payload
  as the staging keeps it (copied from the channel order's Payload tab);
- ``prestashop``: the staged payload (JSON), or webservice XML documents: the order (``api/orders/<id>`` or a page
  with ``display=full``) followed by the documents it references (customers, addresses, currencies, ...).
"""

import json
import sys
from pathlib import Path

from ..channel_order import parse_channel_order
from ..payload import ChannelOrderError
from .staged import PLATFORM_LABELS, channel_order_of
from .totals import totals_difference

# The list name of a document read alone (api/addresses/5 holds <address>).
PLURALS = {"address": "addresses", "country": "countries", "currency": "currencies", "tax": "taxes"}
USAGE = "usage: scripts/map-order.sh oms|shopify|woocommerce|magento|prestashop FILE [FILE...]"


def main(argv: list[str], out=sys.stdout) -> int:
    if len(argv) < 2 or argv[0] not in ("oms", *PLATFORM_LABELS):
        out.write(f"{USAGE}\n")
        return 2
    platform, paths = argv[0], [Path(name) for name in argv[1:]]
    try:
        payloads = read_payloads(platform, paths)
    except (OSError, ValueError) as error:
        out.write(f"cannot read the files: {error}\n")
        return 2
    problems = 0
    for payload in payloads:
        problems += report(platform, payload, out)
    out.write(f"{len(payloads)} order(s), {problems} with problems\n")
    return 1 if problems else 0


def report(platform: str, payload, out) -> int:
    """Print one order's channel order and its problems; 1 when it has any."""
    try:
        order = channel_order_of(platform, payload)
    except ChannelOrderError as error:
        out.write(f"== order that does not map\nPROBLEM ({error.category}): {error}\n\n")
        return 1
    out.write(f"== order {order.get('external_id')}\n")
    out.write(json.dumps(order, indent=2, ensure_ascii=False, default=str) + "\n")
    problems = []
    try:
        parsed = parse_channel_order(order)
    except ChannelOrderError as error:
        problems.append(f"PROBLEM ({error.category}): {error}")
    else:
        difference = totals_difference(parsed)
        if difference:
            problems.append(f"PROBLEM (total_mismatch): {difference}")
    out.write("\n".join(problems or ["no problem"]) + "\n\n")
    return 1 if problems else 0


def read_payloads(platform: str, paths: list[Path]) -> list:
    if platform == "prestashop" and paths[0].read_bytes().lstrip().startswith(b"<"):
        return prestashop_payloads(paths)
    payloads = []
    for path in paths:
        payloads.extend(orders_in(json.loads(path.read_text(encoding="utf-8-sig"))))
    return payloads


def orders_in(document) -> list:
    """The orders a JSON document holds: itself, a list, a Shopify GraphQL page or a Magento search page."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        nodes = (document.get("data") or {}).get("orders") if isinstance(document.get("data"), dict) else None
        if isinstance(nodes, dict):
            return [edge.get("node", edge) for edge in nodes.get("edges", [])] or list(nodes.get("nodes", []))
        if isinstance(document.get("items"), list) and "total_count" in document:
            return document["items"]
    return [document]


def prestashop_payloads(paths: list[Path]) -> list:
    """Webservice XML documents: the first holds the order(s), the others what they reference."""
    from .prestashop_documents import order_payload, read_document  # noqa: PLC0415 - lxml only for PrestaShop files

    orders = next(iter(read_document(paths[0].read_bytes()).values()))
    references = {}
    for path in paths[1:]:
        for resource, documents in read_document(path.read_bytes()).items():
            items = documents if isinstance(documents, list) else [documents]
            plural = resource if isinstance(documents, list) else PLURALS.get(resource, f"{resource}s")
            references.setdefault(plural, []).extend(items)
    return [order_payload(order, references) for order in (orders if isinstance(orders, list) else [orders])]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
