"""The returns provider client against the local returns provider (plain pytest, no database)."""

import pytest

from odoo.addons.oms_fulfillment.services.returns_provider import (
    ReturnsProviderClient,
    ReturnsProviderError,
    parse_status,
)
from odoo.addons.oms_fulfillment.stand_ins.returns_provider import LocalReturnsProvider
from odoo.addons.oms_intelligent.stand_ins.tattletale import LocalTattletale

CUSTOMER = {"name": "Lucía Fernández", "city": "Madrid", "zip": "28014", "country_code": "ES"}
WAREHOUSE = {"name": "Almacén Madrid", "city": "Madrid", "zip": "28041", "country_code": "ES"}
ITEMS = [{"sku": "TENT-1", "name": "Tent", "quantity": 1}]


@pytest.fixture
def provider():
    with LocalReturnsProvider() as provider:
        yield provider


def test_label_is_a_pdf_with_a_tracking_number_then_the_status_is_polled(provider):
    client = ReturnsProviderClient(provider.url, "returns-key")
    label = client.create_label("RMA/2026/00001", CUSTOMER, WAREHOUSE, ITEMS)
    assert label.tracking_number == "RET00000001"
    assert label.pdf.startswith(b"%PDF")
    assert provider.returns[label.tracking_number]["payload"]["reference"] == "RMA/2026/00001"
    assert client.status(label.tracking_number).status == "label_created"
    provider.returns[label.tracking_number]["status"] = "delivered"
    assert client.status(label.tracking_number).status == "delivered"


def test_wrong_key_and_refused_data_say_why_without_the_key(provider):
    with pytest.raises(ReturnsProviderError, match="invalid API key") as error:
        ReturnsProviderClient(provider.url, "secret-wrong").create_label("R1", CUSTOMER, WAREHOUSE, ITEMS)
    assert "secret-wrong" not in str(error.value)
    assert not error.value.transient
    with pytest.raises(ReturnsProviderError, match="no items"):
        ReturnsProviderClient(provider.url, "returns-key").create_label("R1", CUSTOMER, WAREHOUSE, [])


def test_timeout_is_transient(provider):
    provider.delay_next(1, 1.0)
    with pytest.raises(ReturnsProviderError, match="in time") as error:
        ReturnsProviderClient(provider.url, "returns-key", timeout=0.2).status("RET1")
    assert error.value.transient


def test_webhook_status_is_checked():
    assert parse_status({"tracking_number": "RET1", "status": "in_transit"}).status == "in_transit"
    with pytest.raises(ReturnsProviderError, match="unknown return status"):
        parse_status({"tracking_number": "RET1", "status": "lost"})
    with pytest.raises(ReturnsProviderError, match="no tracking number"):
        parse_status({"status": "delivered"})


def test_refusals_hold_neither_the_key_nor_the_url_even_when_the_provider_echoes_them():
    with LocalTattletale(status=401) as tattletale:
        url = f"{tattletale.url}/t0k3n-123"
        with pytest.raises(ReturnsProviderError) as error:
            ReturnsProviderClient(url, "rp-secret-456").status("RET1")
    message = str(error.value)
    assert message.startswith("the returns provider refused the call (401): ")
    for secret in ("rp-secret-456", "t0k3n-123", "127.0.0.1"):
        assert secret not in message


def test_an_unknown_status_is_quoted_short():
    with pytest.raises(ReturnsProviderError) as error:
        parse_status({"tracking_number": "RET1", "status": "x" * 10_000})
    assert len(str(error.value)) < 80
