"""One pull of PrestaShop orders: the order pages and the documents they reference, each fetched once per sync.

**Paging.** ``GET /api/orders?display=full&date=1&filter[date_upd]=[<from>,<far future>]&sort=[date_upd_ASC,id_ASC]``.
Offset paging over orders that change while we page skips one each time an order ahead of the window is updated
(the rest shift back by one), and the cursor would then move past it for good. So every page asks again from the
``date_upd`` of the last order seen, ``limit=0,<seen at that second + page size>``, and drops the orders already
yielded at exactly that second (API.md, "Orders list"). An order updated meanwhile comes again later with its new
``date_upd``, which is what the staging wants. The end is a page shorter than asked for.

**The since-cursor** is inclusive: the orders updated in the cursor's own second are pulled again. Skipping them
would lose an order updated in that second that the last run did not stage (its page failed); staging one again is
harmless. The cursor is the mapped ``updated_at``: UTC when the shop's ``PS_TIMEZONE`` is known (then turned back into
the shop's local time for the filter), else the shop's local time read as UTC, both sides alike. Known limit: a key
that gains the right to read ``configurations`` after a pull changes the cursor's clock once; in a shop east of UTC
the orders updated during that offset before the cursor are then not pulled again (Test connection says when the
time zone is unknown, so that the right is given before the first pull).

**References.** customers, addresses, currencies, carriers, order_states, taxes, cart_rules, then countries and
states of the addresses: only the ids not fetched yet in this sync, one ``filter[id]=[1|2|3]`` call per resource and
page (at most ``ID_BATCH`` ids a call). order_details, order_cart_rules, order_slip and order_histories: one
``filter[id_order]=[...]`` call each per page.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from .prestashop_documents import order_payload
from .prestashop_http import PrestashopHttp

PAGE_SIZE = 50
ID_BATCH = 100
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
EPOCH = "1970-01-01 00:00:00"
FAR_FUTURE = "2999-12-31 23:59:59"
# payload key -> webservice resource, read by id_order
PER_ORDER = {
    "order_details": "order_details",
    "order_cart_rules": "order_cart_rules",
    "order_slips": "order_slip",
    "order_histories": "order_histories",
}
FIRST_REFERENCES = ("customers", "addresses", "currencies", "carriers", "order_states", "taxes", "cart_rules")
ADDRESS_REFERENCES = ("countries", "states")
_NO_ID = ("", "0")


class OrderSync:
    """One ``fetch_orders`` run; ``shop`` is the configuration read at its start (``PrestashopClient.settings``)."""

    def __init__(self, http: PrestashopHttp, shop: dict, page_size: int = PAGE_SIZE):
        self.http = http
        self.shop = shop
        self.page_size = page_size
        self.documents: dict[str, dict[str, dict]] = {key: {} for key in FIRST_REFERENCES + ADDRESS_REFERENCES}
        self.asked: dict[str, set[str]] = {key: set() for key in self.documents}

    def orders(self, since: datetime | None) -> Iterator[dict]:
        lower, seen_at_lower = self.shop_time(since), set()
        while True:
            count = len(seen_at_lower) + self.page_size
            params = {
                "display": "full",
                "date": "1",
                "filter[date_upd]": f"[{lower},{FAR_FUTURE}]",
                "sort": "[date_upd_ASC,id_ASC]",
                "limit": f"0,{count}",
            }
            page = self.http.list("orders", params, f"the orders updated since {lower}")
            fresh = [order for order in page if not (_date(order) == lower and _id(order) in seen_at_lower)]
            yield from self.payloads(fresh)
            if len(page) < count:
                return
            if _date(page[-1]) != lower:
                lower, seen_at_lower = _date(page[-1]), set()
            seen_at_lower |= {_id(order) for order in page if _date(order) == lower}

    def shop_time(self, since: datetime | None) -> str:
        if since is None:
            return EPOCH
        zone = self.shop.get("timezone")
        if zone:
            since = since.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        return since.strftime(DATE_FORMAT)

    def payloads(self, orders: list[dict]) -> Iterator[dict]:
        if not orders:
            return
        order_ids = _ids(_id(order) for order in orders)
        per_order = {
            key: self.by_order(resource, order_ids, key.replace("_", " ")) for key, resource in PER_ORDER.items()
        }
        wanted = {
            "customers": _ids(order.get("id_customer") for order in orders),
            "addresses": _ids(
                order.get(key) for order in orders for key in ("id_address_invoice", "id_address_delivery")
            ),
            "currencies": _ids([*(order.get("id_currency") for order in orders), self.shop.get("currency_id")]),
            "carriers": _ids(order.get("id_carrier") for order in orders),
            "order_states": _ids(
                [
                    *(order.get("current_state") for order in orders),
                    *(history.get("id_order_state") for history in per_order["order_histories"]),
                ]
            ),
            "taxes": _ids(tax.get("id") for detail in per_order["order_details"] for tax in _taxes(detail)),
            "cart_rules": _ids(rule.get("id_cart_rule") for rule in per_order["order_cart_rules"]),
        }
        self.load(wanted)
        addresses = [
            self.documents["addresses"][id_] for id_ in wanted["addresses"] if id_ in self.documents["addresses"]
        ]
        wanted["countries"] = _ids(address.get("id_country") for address in addresses)
        wanted["states"] = _ids(address.get("id_state") for address in addresses)
        self.load({key: wanted[key] for key in ADDRESS_REFERENCES})
        references = {
            key: [self.documents[key][id_] for id_ in ids if id_ in self.documents[key]] for key, ids in wanted.items()
        }
        references.update(per_order)
        references.update(self.shop_extras())
        for order in orders:
            yield order_payload(order, references)

    def by_order(self, resource: str, order_ids: list[str], what: str) -> list[dict]:
        params = {"display": "full", "filter[id_order]": f"[{'|'.join(order_ids)}]"}
        return self.http.list(resource, params, f"the {what} of orders {', '.join(order_ids)}")

    def load(self, wanted: dict[str, list[str]]) -> None:
        """Fetches the documents of ``wanted`` not asked for yet in this sync (a deleted one is not asked twice)."""
        for resource, ids in wanted.items():
            missing = [id_ for id_ in ids if id_ not in self.asked[resource]]
            for start in range(0, len(missing), ID_BATCH):
                batch = missing[start : start + ID_BATCH]
                params = {"display": "full", "filter[id]": f"[{'|'.join(batch)}]"}
                for document in self.http.list(resource, params, f"{resource} {', '.join(batch)}"):
                    self.documents[resource][_id(document)] = document
                self.asked[resource].update(batch)

    def shop_extras(self) -> dict:
        """What the mapper takes from the shop's configuration, when the key may read it."""
        extras = {}
        if self.shop.get("timezone"):
            extras["timezone"] = self.shop["timezone"]
        if self.shop.get("cancelled_state_id"):
            extras["cancelled_state_ids"] = [self.shop["cancelled_state_id"]]
        currency = self.documents["currencies"].get(self.shop.get("currency_id") or "")
        if currency and str(currency.get("iso_code") or "").strip():
            extras["shop_currency"] = str(currency["iso_code"]).strip().upper()
        return extras


def _id(document: dict) -> str:
    return str(document.get("id") or "").strip()


def _date(order: dict) -> str:
    return str(order.get("date_upd") or "").strip()


def _ids(values) -> list[str]:
    """Distinct ids, in order, without the empty and ``0`` ones; only digits (they go into a filter)."""
    ids = []
    for value in values:
        text = str(value or "").strip()
        if text not in _NO_ID and text.isdigit() and text not in ids:
            ids.append(text)
    return ids


def _taxes(detail: dict) -> list[dict]:
    associations = detail.get("associations")
    taxes = associations.get("taxes") if isinstance(associations, dict) else None
    return list(taxes or [])
