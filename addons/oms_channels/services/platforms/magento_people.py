"""The customer, the addresses and the gift messages of a Magento 2 order (see :mod:`.magento`); plain Python."""

from ..payload import ChannelOrderError
from ..value_reader import is_blank
from .magento_read import OrderValues, _gift_text, _list, _name, _object, _text


class OrderPeople(OrderValues):
    """The people part of the mapper (``self.extension``: the order's ``extension_attributes``)."""

    def customer(self) -> dict:
        order = self.order
        billing = _object(order.get("billing_address"), "billing_address")
        name = _name(order.get("customer_firstname"), order.get("customer_lastname")) or _name(
            billing.get("firstname"), billing.get("lastname")
        )
        if not name:
            raise ChannelOrderError("missing_field", "customer_firstname, customer_lastname and billing names empty")
        return {
            "name": name,
            "email": _text(order.get("customer_email")) or _text(billing.get("email")),
            "phone": _text(billing.get("telephone")),
            "company": _text(billing.get("company")),
            "vat": _text(order.get("customer_taxvat")) or _text(billing.get("vat_id")),
        }

    def address(self, data, path: str, *, required: bool) -> dict | None:
        data = _object(data, path)
        if not data:
            if required:
                raise ChannelOrderError("missing_field", f"{path} is missing")
            return None
        street = [str(line).strip() for line in _list(data.get("street")) if not is_blank(line)]
        if isinstance(data.get("street"), str):
            street = [line.strip() for line in data["street"].split("\n") if line.strip()]
        if not street:
            raise ChannelOrderError("missing_field", f"{path}.street is empty")
        return {
            "name": _name(data.get("firstname"), data.get("lastname")),
            "company": _text(data.get("company")),
            "street": street[0],
            "street2": ", ".join(street[1:]) or None,
            "city": _text(data.get("city")),
            "zip": _text(data.get("postcode")),
            "state": _text(data.get("region_code")) or _text(data.get("region")),
            "country_code": _text(data.get("country_id")),
            "phone": _text(data.get("telephone")),
            "email": _text(data.get("email")),
        }

    def gift_message(self) -> str | None:
        messages = []
        order_message = self.extension.get("gift_message")
        if isinstance(order_message, dict):
            messages.append(_gift_text(order_message, None))
        for index, item in enumerate(self.order["items"]):
            if is_blank(item.get("parent_item_id")):
                extension = _object(item.get("extension_attributes"), f"items[{index}].extension_attributes")
                message = extension.get("gift_message")
                if isinstance(message, dict):
                    messages.append(_gift_text(message, item.get("name")))
        return "\n\n".join(message for message in messages if message) or None
