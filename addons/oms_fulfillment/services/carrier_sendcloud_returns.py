"""Return labels with Sendcloud's Returns API v3, a part of :class:`.carrier_sendcloud.SendcloudClient`::

    POST  /returns              the return (asynchronous): {"return_id", "parcel_id"}
    GET   /returns/<id>         its tracking number once the carrier has announced it
    GET   /parcels/<parcel_id>/documents/label
    PATCH /returns/<id>/cancel  202 requested, 409 not cancellable

The outgoing parcel need not have gone through Sendcloud. Unlike shipments, Sendcloud does not document a unique
reference for returns, so a return purchase is never retried by itself: after a time-out, look in the Sendcloud
panel before asking again.
"""

from dataclasses import replace
from urllib.parse import quote

# Sentences marked with carrier._ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation
from .carrier import CarrierError, Label, Shipment, _, checked_currency, checked_number, mapping, parcel_number
from .carrier_sendcloud_data import address_body, external_reference_id

RETURN_DELIVERY = "drop_off_point"  # the customer drops the parcel at a service point


def return_request(shipment: Shipment) -> dict:
    """``POST /returns``: ``shipment.sender`` is the customer, ``recipient`` the warehouse, ``service`` a return
    option code (``functionalities.returns`` in the shipping options)."""
    first = shipment.parcels[0]
    body = {
        "from_address": address_body(shipment.sender),
        "to_address": address_body(shipment.recipient),
        "ship_with": {"type": "shipping_option_code", "shipping_option_code": shipment.service},
        "weight": {"value": round(shipment.weight, 3), "unit": "kg"},
        "collo_count": len(shipment.parcels),
        "send_tracking_emails": False,
        "external_reference": external_reference_id(shipment),
        "delivery_option": RETURN_DELIVERY,
    }
    if first.length and first.width and first.height:
        body["dimensions"] = {"length": first.length, "width": first.width, "height": first.height, "unit": "cm"}
    if shipment.declared_value:
        body["total_order_value"] = {"value": round(shipment.declared_value, 2), "currency": shipment.currency}
    if shipment.customs:  # mandatory from outside the EU
        body["parcel_items"] = [
            {
                "description": line.description,
                "quantity": max(1, round(line.quantity)),
                "weight": {"value": round(line.weight / max(1, round(line.quantity)), 3), "unit": "kg"},
                "value": {"value": round(line.unit_value, 2), "currency": shipment.currency},
                **{
                    key: value
                    for key, value in (
                        ("hs_code", line.hs_code),
                        ("origin_country", line.origin_country),
                        ("sku", line.sku),
                    )
                    if value
                },
            }
            for line in shipment.customs
        ]
    return body


class SendcloudReturns:
    """Return labels; mixed into the client, whose ``http``, ``_json``, ``_document``, ``poll_interval`` and
    ``poll_attempts`` it uses."""

    def create_return(self, shipment: Shipment) -> Label:
        """A return label the customer prints: bought once (never retried by itself, see the module)."""
        if not shipment.parcels:
            raise CarrierError(_("the return has no parcel"), transient=False)
        if not shipment.service:
            raise CarrierError(_("choose a Sendcloud return service for this carrier first"), transient=False)
        once = replace(self.http, max_retries=1)
        answer = mapping(once.json(once.call("POST", "/returns", json=return_request(shipment)), _("the return label")))
        return_id, parcel_id = answer.get("return_id"), answer.get("parcel_id")
        if not return_id or not parcel_id:
            raise CarrierError(_("Sendcloud answered the return request without a return id"))
        announced = self._announced_return(str(return_id))
        cost = mapping(announced.get("label_cost"))
        return Label(
            tracking_number=parcel_number(announced["tracking_number"]),
            pdf=self._document({"id": parcel_id}, "label"),
            price=checked_number(cost.get("value"), _("Sendcloud sent an unreadable return price")) if cost else None,
            currency=checked_currency(cost.get("currency")) if cost else None,
            tracking_url=str(announced.get("tracking_url") or ""),
            shipment_id=str(return_id),
        )

    def _announced_return(self, return_id: str) -> dict:
        for attempt in range(self.poll_attempts):
            if attempt:
                self.http.sleep(self.poll_interval)
            answer = self._json("GET", f"/returns/{quote(return_id, safe='')}", _("the return label"))
            if parcel_number(answer.get("tracking_number")):
                return answer
        raise CarrierError(
            _(
                "Sendcloud is still announcing return %(return_id)s to the carrier: print its label again in a minute",
                return_id=return_id,
            )
        )

    def cancel_return(self, return_id) -> str:
        """Asks Sendcloud to cancel a return label: ``requested`` (confirmed later by its status)."""
        path = f"/returns/{quote(str(return_id), safe='')}/cancel"
        self._json("PATCH", path, _("the return cancellation"))
        return "requested"
