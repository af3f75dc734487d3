"""scripts/map-order.sh: what support staff read about a platform's order, without a database (plain pytest)."""

import io
import json
from pathlib import Path

from odoo.addons.oms_channels.services.platforms.map_command import main

PLATFORMS = Path(__file__).parent / "fixtures" / "platforms"
PRESTASHOP_REFERENCES = (
    "customers addresses currencies countries states carriers order_states taxes order_details order_cart_rules "
    "order_slips order_histories"
).split()


def run(*argv):
    out = io.StringIO()
    return main([str(arg) for arg in argv], out), out.getvalue()


def test_every_order_of_a_shopify_page_is_printed_with_no_problem():
    status, text = run("shopify", PLATFORMS / "shopify" / "graphql_orders_page1.json")
    assert status == 0, text
    assert '"external_id": "5810000001001"' in text
    assert text.rstrip().endswith("0 with problems")


def test_prestashop_xml_documents_are_read_together():
    folder = PLATFORMS / "prestashop"
    files = [folder / "order_103.xml", *(folder / f"{name}.xml" for name in PRESTASHOP_REFERENCES)]
    status, text = run("prestashop", *files)
    assert status == 0, text
    assert '"currency": "GBP"' in text


def test_an_order_missing_what_the_mapping_needs_names_the_platforms_field(tmp_path):
    body = json.loads((PLATFORMS / "shopify" / "webhook_orders_create_1001.json").read_text())
    body["line_items"][1].update(sku="", variant_id=None, product_id=None)
    sample = tmp_path / "order.json"
    sample.write_text(json.dumps(body))
    status, text = run("shopify", sample)
    assert status == 1
    assert "PROBLEM (missing_field): line_items[1]" in text


def test_a_grand_total_that_the_parts_do_not_reach_is_a_problem_with_both_amounts(tmp_path):
    order = json.loads((PLATFORMS / "woocommerce" / "order_5101_es_tax_included_coupon.json").read_text())
    order["total"] = str(float(order["total"]) + 1)
    sample = tmp_path / "order.json"
    sample.write_text(json.dumps(order))
    status, text = run("woocommerce", sample)
    assert status == 1
    assert "PROBLEM (total_mismatch): the parts add up to" in text
    assert "(difference 1.00)" in text


def test_unreadable_files_and_unknown_platforms_are_usage_errors(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert run("magento", broken)[0] == 2
    assert run("amazon", broken)[0] == 2
    assert run("magento", tmp_path / "absent.json")[0] == 2
