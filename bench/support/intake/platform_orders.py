"""Orders in each shop platform's own format for the intake benchmark's platform part: clones of the platform's
fixture orders (``oms_channels/tests/fixtures/platforms/<platform>/``) that are open and have no refund, with new
ids, the bench order's date, the bench's products' SKUs and the bench's customers (known ones and new ones, with
their e-mail, phone, VAT and address). Prices, quantities, discounts, shipping, fees and taxes stay the template's,
so that every amount, and the platform's grand total, still adds up to the cent.

``PlatformOrders(platform, run).served(order, products)`` is what the platform's stand-in serves: a JSON order
(Shopify's GraphQL node, WooCommerce's and Magento's REST order), or for PrestaShop the webservice XML documents of
the order and of what it references (customer, address, order details, cart rules, history).
``channel_order(served)`` is the channel order the platform's mapper makes of it, as the import will (the plain
path's order is made from it).
"""

import copy
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .data import customer_identity

PLATFORMS = ("shopify", "woocommerce", "magento", "prestashop")
# The files of each platform's fixture orders (PrestaShop's references are read by _prestashop_fixtures).
ORDER_FILES = {
    "shopify": "graphql_orders_page*.json",
    "woocommerce": "order_*.json",
    "magento": "order-*.json",
    "prestashop": "orders_page_*.xml",
}
# PrestaShop documents every order references, served once per stand-in.
PRESTASHOP_SHARED = ("currencies", "countries", "states", "carriers", "order_states", "taxes")
PRESTASHOP_PER_ORDER = ("order_details", "order_cart_rules", "order_histories")
# Read to tell which fixture orders are usable (open, not refunded); the clones get their own customer and address.
PRESTASHOP_TEMPLATE_ONLY = ("customers", "addresses", "order_slips")
# PrestaShop country ids of the bench's countries missing from the fixtures (cloned from Spain's node).
PRESTASHOP_COUNTRY_IDS = {"FR": "8", "DE": "1", "US": "21"}
XLINK = "http://www.w3.org/1999/xlink"


def fixtures_dir():
    import odoo.addons.oms_channels as addon  # noqa: PLC0415 - the addons path is set by Odoo's configuration

    return Path(addon.__file__).parent / "tests" / "fixtures" / "platforms"


@dataclass(frozen=True)
class Buyer:
    first: str
    last: str
    email: str
    phone: str
    vat: str | None
    street: str
    city: str
    zip: str
    country: str

    @classmethod
    def of(cls, customer, run):
        identity = customer_identity(customer, run)
        first, _, last = customer["name"].partition(" ")
        return cls(
            first, last, identity["email"], identity["phone"], identity["vat"] or None,
            customer["street"], customer["city"], customer["zip"], customer["country"],
        )  # fmt: skip


class PlatformOrders:
    """Orders of one platform for one run: ``served(order)`` clones the next template for a bench order."""

    def __init__(self, platform, run):
        self.platform = platform
        self.run = run
        documents = _prestashop_fixtures() if platform == "prestashop" else None
        self.shared = _shared_documents(documents) if documents else []
        self.templates = _prestashop_templates(documents) if documents else usable_templates(platform)

    def external_id(self, order):
        return str(self.run * 1_000_000 + order["index"] + 1)

    def served(self, order, products):
        """The platform's order of a bench order (its index, date and customer), lines given ``products``' SKUs in
        turn (the template's quantities and prices are kept)."""
        template = self.templates[order["index"] % len(self.templates)]
        buyer = Buyer.of(order["customer"], self.run)
        skus = [products[(order["index"] * 7 + position) % len(products)]["sku"] for position in range(12)]
        clone = CLONES[self.platform]
        return clone(copy.deepcopy(template), self.external_id(order), order["date"], buyer, skus)

    def serve_shared(self, shop):
        """Puts on a PrestaShop stand-in the documents every order references (currencies, countries, ...)."""
        for resource, xml in self.shared:
            shop.add_documents(resource, xml)

    def channel_order(self, served):
        """The channel order the platform's mapper makes of a served order, as the import will."""
        from odoo.addons.oms_channels.services.platforms.staged import channel_order_of  # noqa: PLC0415

        if self.platform == "prestashop":
            return channel_order_of("prestashop", prestashop_payload(served, self.shared))
        return channel_order_of(self.platform, served)


def usable_templates(platform):
    """The platform's fixture orders that are open and have no refund (an order to import and confirm)."""
    from odoo.addons.oms_channels.services.platforms.map_command import orders_in  # noqa: PLC0415
    from odoo.addons.oms_channels.services.platforms.staged import channel_order_of  # noqa: PLC0415

    folder = fixtures_dir() / platform
    files = sorted(folder.glob(ORDER_FILES[platform]))
    orders = [order for path in files for order in orders_in(json.loads(path.read_text(encoding="utf-8")))]
    return _usable(platform, [(order, channel_order_of(platform, order)) for order in orders])


def _usable(platform, mapped_templates):
    usable = [
        order for order, mapped in mapped_templates if mapped.get("status") != "cancelled" and not mapped.get("refunds")
    ]
    if not usable:
        raise ValueError(f"no open {platform} fixture order without refunds")
    return usable


def _prestashop_templates(documents):
    """(order, {resource: its nodes}) of the usable PrestaShop fixture orders."""
    from odoo.addons.oms_channels.services.platforms.staged import channel_order_of  # noqa: PLC0415

    shared, mapped = _shared_documents(documents), []
    for order in documents["orders"]:
        served = [("orders", _xml_document("orders", [order]))]
        served += [(name, _xml_document(name, _of_order(documents[name], order))) for name in PRESTASHOP_PER_ORDER]
        served += [(name, _xml_document(name, documents[name])) for name in PRESTASHOP_TEMPLATE_ONLY]
        mapped.append((order, channel_order_of("prestashop", prestashop_payload(served, shared))))
    usable = _usable("prestashop", mapped)
    return [(order, {name: _of_order(documents[name], order) for name in PRESTASHOP_PER_ORDER}) for order in usable]


def _shopify(node, order_id, date, buyer, skus):
    stamp = date.strftime("%Y-%m-%dT%H:%M:%SZ")
    node.update(id=f"gid://shopify/Order/{order_id}", legacyResourceId=order_id, name=f"#{order_id}")
    node.update(createdAt=stamp, updatedAt=stamp, processedAt=stamp, email=buyer.email, phone=buyer.phone)
    attributes = [a for a in node.get("customAttributes") or [] if a.get("key") != "vat_number"]
    node["customAttributes"] = attributes + ([{"key": "vat_number", "value": buyer.vat}] if buyer.vat else [])
    node["customer"] = {
        "id": f"gid://shopify/Customer/{order_id}",
        "firstName": buyer.first,
        "lastName": buyer.last,
        "defaultEmailAddress": {"emailAddress": buyer.email},
        "defaultPhoneNumber": {"phoneNumber": buyer.phone},
    }
    for key in ("billingAddress", "shippingAddress"):
        node[key] = {
            "firstName": buyer.first, "lastName": buyer.last, "name": f"{buyer.first} {buyer.last}", "company": None,
            "address1": buyer.street, "address2": None, "city": buyer.city, "province": None, "provinceCode": None,
            "zip": buyer.zip, "country": None, "countryCodeV2": buyer.country, "phone": buyer.phone,
            "latitude": None, "longitude": None,
        }  # fmt: skip
    for line, sku in zip(_lines_with_sku(node["lineItems"]["nodes"]), skus, strict=False):
        line["sku"] = sku
        line["variant"] = {**(line.get("variant") or {}), "barcode": None}
    return node


def _woocommerce(order, order_id, date, buyer, skus):
    stamp = date.strftime("%Y-%m-%dT%H:%M:%S")
    order.update(id=int(order_id), number=order_id, order_key=f"wc_order_{order_id}", customer_id=0)
    for key in ("date_created", "date_modified", "date_paid", "date_created_gmt", "date_modified_gmt", "date_paid_gmt"):
        order[key] = stamp
    address = {
        "first_name": buyer.first, "last_name": buyer.last, "company": "", "address_1": buyer.street,
        "address_2": "", "city": buyer.city, "state": "", "postcode": buyer.zip, "country": buyer.country,
        "phone": buyer.phone,
    }  # fmt: skip
    order["billing"] = {**address, "email": buyer.email}
    order["shipping"] = address
    meta = [item for item in order.get("meta_data") or [] if item.get("key") != "_vat_number"]
    order["meta_data"] = meta + ([{"id": 1, "key": "_vat_number", "value": buyer.vat}] if buyer.vat else [])
    order.pop("_links", None)
    for line, sku in zip(_lines_with_sku(order["line_items"]), skus, strict=False):
        line["sku"] = sku
    return order


def _magento(order, order_id, date, buyer, skus):
    stamp = date.strftime("%Y-%m-%d %H:%M:%S")
    order.update(entity_id=int(order_id), increment_id=order_id, created_at=stamp, updated_at=stamp)
    order.update(customer_email=buyer.email, customer_firstname=buyer.first, customer_lastname=buyer.last)
    order.update(customer_id=None, customer_is_guest=1, customer_taxvat=buyer.vat)
    address = {
        "firstname": buyer.first, "lastname": buyer.last, "email": buyer.email, "telephone": buyer.phone,
        "street": [buyer.street], "city": buyer.city, "postcode": buyer.zip, "country_id": buyer.country,
        "region": None, "region_code": None, "region_id": 0, "company": None, "vat_id": buyer.vat,
    }  # fmt: skip
    order["billing_address"].update(address)
    for assignment in (order.get("extension_attributes") or {}).get("shipping_assignments") or []:
        assignment["shipping"]["address"].update(address)
    # A configurable item and its simple child carry the same SKU: one SKU per top-level item.
    top_items = [item["item_id"] for item in order["items"] if not item.get("parent_item_id")]
    sku_of = dict(zip(top_items, skus, strict=False))
    for item in _all_items(order):
        item["sku"] = sku_of[item.get("parent_item_id") or item["item_id"]]
    return order


def _all_items(order):
    assignments = (order.get("extension_attributes") or {}).get("shipping_assignments") or []
    return order["items"] + [item for assignment in assignments for item in assignment.get("items") or []]


def _lines_with_sku(lines):
    """The product lines (a line without SKU is a fee, or a custom item: kept as it is)."""
    return [line for line in lines if line.get("sku")]


def _prestashop(template, order_id, date, buyer, skus):
    order, per_order = template
    stamp = date.strftime("%Y-%m-%d %H:%M:%S")
    customer_id, address_id = order_id, order_id
    _set(order, id=order_id, id_customer=customer_id, id_address_delivery=address_id, id_address_invoice=address_id)
    _set(order, date_add=stamp, date_upd=stamp, invoice_date=stamp, reference=f"B{order_id}")
    rows = order.find("associations/order_rows")
    new_rows = {}  # template's order detail id: (new id, SKU); a row is its order detail
    for number, (row, sku) in enumerate(zip(list(rows) if rows is not None else [], skus, strict=False), start=1):
        new_rows[row.findtext("id")] = (f"{order_id}{number:02d}", sku)
        _set(row, id=new_rows[row.findtext("id")][0], product_reference=sku, product_ean13="")
    served = [("orders", _xml_document("orders", [order]))]
    for name in PRESTASHOP_PER_ORDER:
        nodes = per_order[name]
        for number, node in enumerate(nodes, start=1):
            if name == "order_details":
                detail_id, sku = new_rows[node.findtext("id")]
                _set(node, id=detail_id, id_order=order_id, product_reference=sku, product_ean13="")
            else:
                _set(node, id=f"{order_id}{number:02d}", id_order=order_id)
            if name == "order_histories":
                _set(node, date_add=stamp)
        served.append((name, _xml_document(name, nodes)))
    customer = ET.fromstring(f"<customer><id>{customer_id}</id><lastname/><firstname/><email/><company/></customer>")
    _set(customer, lastname=buyer.last, firstname=buyer.first, email=buyer.email, is_guest="0", deleted="0")
    address = ET.fromstring("<address/>")
    _set(address, id=address_id, id_customer=customer_id, id_country=_prestashop_country(buyer.country), id_state="0")
    _set(address, lastname=buyer.last, firstname=buyer.first, company="", vat_number=buyer.vat or "")
    _set(address, address1=buyer.street, address2="", postcode=buyer.zip, city=buyer.city, phone="")
    _set(address, phone_mobile=buyer.phone, deleted="0")
    return (
        served
        + [("customers", _xml_document("customers", [customer]))]
        + [("addresses", _xml_document("addresses", [address]))]
    )


def _prestashop_country(code):
    return {"ES": "6", "PT": "15", "GB": "17", **PRESTASHOP_COUNTRY_IDS}[code]


def prestashop_payload(served, shared):
    """What the PrestaShop client stages for an order: the order and the documents it references."""
    from odoo.addons.oms_channels.services.platforms.prestashop import order_payload, read_document  # noqa: PLC0415

    references, orders = {}, []
    for resource, xml in [*served, *shared]:
        for value in read_document(xml.encode()).values():
            items = value if isinstance(value, list) else [value]
            if resource == "orders":
                orders += items
            else:
                references.setdefault("order_slips" if resource == "order_slip" else resource, []).extend(items)
    return order_payload(orders[0], references)


def _prestashop_fixtures():
    """{resource: [element]} of the PrestaShop fixtures: orders (open or not) and every document they reference."""
    folder = fixtures_dir() / "prestashop"
    documents = {"orders": []}
    for path in sorted(folder.glob(ORDER_FILES["prestashop"])):
        root = ET.parse(path).getroot()[0]
        documents["orders"] += [root] if root.find("id") is not None else list(root)
    for resource in (*PRESTASHOP_SHARED, *PRESTASHOP_PER_ORDER, *PRESTASHOP_TEMPLATE_ONLY):
        documents[resource] = list(ET.parse(folder / f"{resource}.xml").getroot()[0])
    spain = next(node for node in documents["countries"] if node.findtext("iso_code") == "ES")
    for code, country_id in PRESTASHOP_COUNTRY_IDS.items():
        clone = copy.deepcopy(spain)
        _set(clone, id=country_id, iso_code=code, contains_states="0")
        documents["countries"].append(clone)
    return documents


def _shared_documents(documents):
    return [(resource, _xml_document(resource, documents[resource])) for resource in PRESTASHOP_SHARED]


def _of_order(nodes, order):
    return [node for node in nodes if node.findtext("id_order") == order.findtext("id")]


def _set(element, **values):
    for name, value in values.items():
        child = element.find(name)
        if child is None:
            child = ET.SubElement(element, name)
        child.text = str(value)


def _xml_document(resource, nodes):
    ET.register_namespace("xlink", XLINK)
    inner = "".join(ET.tostring(node, encoding="unicode") for node in nodes)
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="{XLINK}">'
    return f"{head}<{resource}>{inner}</{resource}></prestashop>"


CLONES = {"shopify": _shopify, "woocommerce": _woocommerce, "magento": _magento, "prestashop": _prestashop}
