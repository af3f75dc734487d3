"""A delivery's tracking as the platforms take it: every parcel's number of a label of several parcels, and the
page of each (plain pytest)."""

from odoo.addons.oms_channels.services.platforms.client import Shipment, ShipmentLine
from odoo.addons.oms_channels.services.platforms.shopify_push import tracking_info

LINE = (ShipmentLine(external_line_id="1", quantity=1),)


def shipment(tracking_number, **values):
    return Shipment(
        order_external_id="1001", tracking_number=tracking_number, carrier="SEUR", lines=LINE, complete=True, **values
    )


def test_the_parcels_numbers_are_read_from_odoos_comma_separated_value():
    assert shipment(" PCL-1, PCL-2,,PCL-1 ,PCL-3").tracking_numbers == ("PCL-1", "PCL-2", "PCL-3")
    assert shipment(" , ").tracking_numbers == ()


def test_a_parcel_is_tracked_on_its_own_page_else_on_the_shipments():
    both = shipment("A,B", tracking_url="https://t.example/s", parcel_urls=(("A", "https://t.example/A"),))
    assert both.url_of("A") == "https://t.example/A"
    assert both.url_of("B") == "https://t.example/s"
    assert both.main_url == "https://t.example/s"
    per_parcel = shipment("A,B", parcel_urls=(("A", "https://t.example/A"), ("B", "https://t.example/B")))
    assert per_parcel.main_url == "https://t.example/A", "one page for platforms taking one: the first parcel's"


def test_shopify_gets_one_form_of_the_tracking_never_both():
    one = tracking_info(shipment("A", tracking_url="https://t.example/A"))
    assert one == {"company": "SEUR", "number": "A", "url": "https://t.example/A"}
    several = tracking_info(shipment("A,B", parcel_urls=(("A", "https://t.example/A"), ("B", "https://t.example/B"))))
    assert several == {"company": "SEUR", "numbers": ["A", "B"], "urls": ["https://t.example/A", "https://t.example/B"]}
    # Shopify matches urls to numbers by position: a page missing for one parcel sends none.
    partial = tracking_info(shipment("A,B", parcel_urls=(("A", "https://t.example/A"),)))
    assert partial == {"company": "SEUR", "numbers": ["A", "B"]}
