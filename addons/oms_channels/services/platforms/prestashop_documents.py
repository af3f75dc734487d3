"""PrestaShop webservice documents (XML) read into plain dicts, and the documents of one order; plain Python.

Facts and traps: ``tests/fixtures/platforms/prestashop/API.md``.

:func:`read_document` reads one webservice document into plain dicts: ``<prestashop><order>…</order></prestashop>``
gives ``{"order": {...}}`` and a list (``<orders>``, ``<customers>``, ``<order_slips>``…) gives ``{"orders": [...]}``.
A field is its text (``""`` when empty; attributes such as ``xlink:href`` are dropped), a multilingual field a dict
``{language id: text}``, and ``associations`` a dict of lists (``order["associations"]["order_rows"]``). An error
document, an HTML page or anything else that is not a ``<prestashop>`` document raises
:class:`WebserviceDocumentError`.

:func:`order_payload` cuts the documents of a whole sync down to those of one order: the payload
:func:`.prestashop.map_order` reads, kept as the raw payload.
"""

from lxml import etree

from ..payload import ChannelOrderError, json_type

# No entity expansion, no DTD, no network: the documents come from a shop anyone may run.
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
)


# --- reading webservice documents ---------------------------------------------------------------------------------


class WebserviceDocumentError(ValueError):
    """Not a PrestaShop webservice document, or its error document; ``errors`` lists (code, message) of the latter."""

    def __init__(self, message: str, errors: tuple[tuple[str, str], ...] = ()):
        super().__init__(message)
        self.errors = errors


def read_document(xml: bytes | str) -> dict:
    """One webservice document (``GET /api/<resource>[/<id>]``) -> ``{node name: dict or list of dicts}``."""
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise WebserviceDocumentError(f"not an XML document: {exc}") from None
    if root.tag != "prestashop":
        raise WebserviceDocumentError(f"not a PrestaShop webservice document (root element <{root.tag}>)")
    children = _elements(root)
    if len(children) != 1:
        raise WebserviceDocumentError(f"a PrestaShop document holds one node under <prestashop> (got {len(children)})")
    node = children[0]
    if node.tag == "errors":
        errors = tuple((_leaf(error.find("code")), _leaf(error.find("message"))) for error in _elements(node))
        raise WebserviceDocumentError(
            "; ".join(f"PrestaShop error {code}: {message}" for code, message in errors), errors
        )
    return {node.tag: [_entity(item) for item in _elements(node)] if _is_list(node) else _entity(node)}


def _elements(element) -> list:
    # Entity references left unresolved and any other non-element node have a non-string tag.
    return [child for child in element if isinstance(child.tag, str)]


def _leaf(element) -> str:
    return "" if element is None else (element.text or "")


def _is_list(node) -> bool:
    """``<orders>`` (items of one tag, each with fields or only attributes) rather than ``<order>`` (fields)."""
    children = _elements(node)
    if not children:
        return True  # an empty page: <orders>\n</orders>
    if len({child.tag for child in children}) != 1:
        return False
    return all(_elements(child) or (child.attrib and not (child.text or "").strip()) for child in children)


def _entity(element) -> dict:
    children = _elements(element)
    if not children:  # a list without display=full: <order id="1" xlink:href="…"/>
        return {"id": element.get("id")} if element.get("id") else {}
    entity = {}
    for child in children:
        if child.tag == "associations":
            entity["associations"] = {
                collection.tag: [_entity(item) for item in _elements(collection)] for collection in _elements(child)
            }
        else:
            entity[child.tag] = _value(child)
    return entity


def _value(element):
    children = _elements(element)
    if not children:
        return element.text or ""
    if all(child.tag == "language" for child in children):
        return {child.get("id", ""): child.text or "" for child in children}
    return _entity(element)


# --- the documents of one order -----------------------------------------------------------------------------------

REFERENCED = ("customers", "addresses", "currencies", "countries", "states", "carriers", "order_states", "taxes")
PER_ORDER = ("order_details", "order_cart_rules", "order_slips", "order_histories")


def order_payload(order: dict, references: dict) -> dict:
    """The payload of one order: ``order`` with only the referenced documents it uses, out of those of a whole sync
    (``references`` has the keys of :func:`map_order`'s payload but ``order``); unknown keys are kept as they are."""
    order_id = _text(order.get("id"))
    payload = {key: value for key, value in references.items() if key not in REFERENCED + PER_ORDER + ("cart_rules",)}
    payload["order"] = order
    for key in PER_ORDER:
        if key in references:
            payload[key] = [item for item in _items(references[key], key) if _text(item.get("id_order")) == order_id]
    details = payload.get("order_details", [])
    wanted = {
        "customers": {_text(order.get("id_customer"))},
        "addresses": {_text(order.get("id_address_invoice")), _text(order.get("id_address_delivery"))},
        "currencies": {_text(order.get("id_currency"))},
        "carriers": {_text(order.get("id_carrier"))},
        "order_states": {_text(order.get("current_state"))}
        | {_text(history.get("id_order_state")) for history in payload.get("order_histories", [])},
        "taxes": {
            _text(tax.get("id"))
            for detail in details
            for tax in _associated(detail, "taxes", f"order_details/{_text(detail.get('id'))}")
        },
        "cart_rules": {_text(rule.get("id_cart_rule")) for rule in payload.get("order_cart_rules", [])},
    }
    addresses = [
        item
        for item in _items(references.get("addresses"), "addresses")
        if _text(item.get("id")) in wanted["addresses"]
    ]
    wanted["countries"] = {_text(address.get("id_country")) for address in addresses}
    wanted["states"] = {_text(address.get("id_state")) for address in addresses}
    for key, ids in wanted.items():
        if key in references:
            payload[key] = [item for item in _items(references[key], key) if _text(item.get("id")) in ids]
    return payload


def _items(value, path: str) -> list[dict]:
    """The documents of a resource (``path``: its name), refused by name when they are not documents."""
    if value is None or value == "":
        return []
    if isinstance(value, dict):  # one document, as read_document(GET /api/customers/1)["customer"]
        return [value]
    if not isinstance(value, list):
        raise ChannelOrderError("malformed", f"{path} must be a list of documents (got {json_type(value)})")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise ChannelOrderError("malformed", f"{path}[{index}] must be a document (got {json_type(item)})")
    return value


def _associated(entity: dict, name: str, path: str) -> list[dict]:
    """The entity's ``associations.<name>`` (``path``: the entity's); an empty ``<associations/>`` is ``""``."""
    associations = entity.get("associations")
    if associations is None or associations == "":
        return []
    if not isinstance(associations, dict):
        raise ChannelOrderError("malformed", f"{path}.associations must be an object (got {json_type(associations)})")
    if isinstance(associations.get(name), dict):
        raise ChannelOrderError("malformed", f"{path}.associations.{name} must be a list (got object)")
    return _items(associations.get(name), f"{path}.associations.{name}")


def _text(value, lang: str = "") -> str:
    """A field's text; a multilingual field in ``lang``, else its first non-empty language."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if _text(value.get(lang)):
            return _text(value.get(lang))
        return next((_text(text) for text in value.values() if _text(text)), "")
    return str(value).strip()
