"""The Correos client (SOAP pre-registration with zeep, REST tracking) against the local Correos over HTTP (plain
pytest, no database)."""

import io
from dataclasses import replace
from datetime import datetime

import PyPDF2
import pytest

from odoo.addons.oms_fulfillment.services.carrier import (
    DELIVERED,
    IN_TRANSIT,
    PENDING,
    Address,
    CarrierError,
    CustomsLine,
    Parcel,
    Shipment,
)
from odoo.addons.oms_fulfillment.services.carrier_correos import CorreosClient
from odoo.addons.oms_fulfillment.stand_ins.correos import LocalCorreos
from odoo.addons.oms_fulfillment.stand_ins.correos_answers import all_of, text_of

WAREHOUSE = Address(
    "OMS Demo Logistica S.L.",
    street="Calle de Eduardo Barreiros 110",
    city="Madrid",
    zip="28021",
    state="Madrid",
    country_code="ES",
    phone="+34 910 000 001",
    email="almacen@oms-demo.example",
)
SEVILLA = Address("Carmen Ruiz", street="Calle Sierpes 48", city="Sevilla", zip="41004", country_code="ES")
VALENCIA = Address("Ferreteria Turia S.L.", street="Avenida del Puerto 210", city="Valencia", zip="46023",
                   country_code="ES")  # fmt: skip
ZURICH = Address("Anna Keller", street="Bahnhofstrasse 15", city="Zurich", zip="8001", country_code="CH",
                 phone="+41 44 123 45 67", email="anna.keller@example.ch")  # fmt: skip
ONE_PARCEL = Shipment(
    reference="WH/OUT/00042",
    sender=WAREHOUSE,
    recipient=SEVILLA,
    parcels=(Parcel(1.25, 30, 20, 15),),
    insured_value=180.0,
)
THREE_PARCELS = Shipment(
    reference="WH/OUT/00043",
    sender=WAREHOUSE,
    recipient=VALENCIA,
    parcels=(Parcel(4.2, 40, 30, 30), Parcel(2.8, 30, 30, 20), Parcel(0.9, 25, 20, 10)),
)
TO_SWITZERLAND = Shipment(
    reference="WH/OUT/00045",
    sender=WAREHOUSE,
    recipient=ZURICH,
    parcels=(Parcel(2.1, 40, 30, 15),),
    declared_value=111.8,
    customs=(
        CustomsLine("Cotton T-shirts", 2, 19.9, 0.4, hs_code="6109.10", origin_country="PT"),
        CustomsLine("Leather belt", 1, 45.0, 0.35, hs_code="420330", origin_country="ES"),
        CustomsLine("Ceramic mugs", 3, 9.0, 1.05, hs_code="691200", origin_country="ES"),
    ),
)


@pytest.fixture
def correos():
    with LocalCorreos() as correos:
        yield correos


def client(correos, timeout=5.0, **changes) -> CorreosClient:
    return CorreosClient.from_credentials(correos.credentials(**changes), timeout=timeout)


def pages(pdf: bytes) -> int:
    return len(PyPDF2.PdfReader(io.BytesIO(pdf)).pages)


def test_rates_for_one_parcel_list_premium_and_standard_with_their_transit_days(correos):
    rates = {rate.service: rate for rate in client(correos).rates(ONE_PARCEL)}
    assert {code: (rate.price, rate.currency, rate.transit_days) for code, rate in rates.items()} == {
        "S0235": (7.35, "EUR", 2),
        "S0132": (5.45, "EUR", 3),
    }
    assert rates["S0132"].service_name == "Correos Paq Estándar, home delivery"
    assert client(correos).rate(ONE_PARCEL).service == "S0132"  # the cheapest


def test_rates_for_three_parcels_add_each_parcels_price_on_its_volumetric_weight(correos):
    rate = client(correos).rate(replace(THREE_PARCELS, service="S0235"))
    # 6 kg by size + 3 kg by size + 0.9 kg real, each 5.35 EUR plus 1 EUR per started kg.
    assert rate.price == pytest.approx(26.05)
    assert [text_of(call, "Valor") for name, call in correos.received if name == "CalculaTarifa"] == [
        "6000",
        "3000",
        "900",
    ]


def test_a_product_outside_the_contract_is_left_out_of_the_rates(correos):
    correos.contract_products = {"S0132"}
    assert [rate.service for rate in client(correos).rates(ONE_PARCEL)] == ["S0132"]
    with pytest.raises(CarrierError, match="S0235 is not included in the labeller's contract") as refused:
        client(correos).rate(replace(ONE_PARCEL, service="S0235"))
    assert not refused.value.transient


def test_international_rates_are_refused_with_the_advice_to_use_a_price_rule(correos):
    with pytest.raises(CarrierError, match="price rule") as refused:
        client(correos).rates(TO_SWITZERLAND)
    assert not refused.value.transient
    assert correos.received == []


def test_a_label_is_a_one_page_pdf_with_the_parcel_code_and_its_tracking_link(correos):
    label = client(correos).create_label(ONE_PARCEL)
    assert label.tracking_number.startswith("PQ7K3B") and label.tracking_number.endswith("41004X")
    assert pages(label.pdf) == 1
    assert label.tracking_url.endswith(f"tracking-number={label.tracking_number}")
    assert label.parcel_numbers == (label.tracking_number,) and label.shipment_id == correos.registrations[0]
    sent = correos.last("PreregistroEnvio")
    assert text_of(sent, "Envio/ReferenciaCliente") == "WH/OUT/00042/1"
    assert text_of(sent, "Envio/ValoresAnadidos/ImporteSeguro") == "18000"  # euro cents
    assert text_of(sent, "Envio/CodProducto") == "S0132"  # no product asked: the standard one
    assert [text_of(peso, "Valor") for peso in all_of(sent, "Envio/Pesos/Peso")] == ["1250", "1500"]
    assert text_of(sent, "Destinatario/CP") == "41004" and text_of(sent, "Remitente/Telefonocontacto") == "34910000001"


def test_three_parcels_make_one_expedition_with_a_code_and_a_page_each(correos):
    label = client(correos).create_label(THREE_PARCELS)
    assert len(label.parcel_numbers) == 3 and len(set(label.parcel_numbers)) == 3
    assert [url.rsplit("=", 1)[-1] for url in label.parcel_tracking_urls] == list(label.parcel_numbers)
    assert pages(label.pdf) == 3
    sent = correos.last("PreregistroEnvioMultibulto")
    assert text_of(sent, "TotalBultos") == "3" and text_of(sent, "CodProducto") == "S0132"
    assert [text_of(envio, "ReferenciaCliente") for envio in all_of(sent, "Envios/Envio")] == [
        "WH/OUT/00043/1",
        "WH/OUT/00043/2",
        "WH/OUT/00043/3",
    ]


def test_a_label_outside_the_eu_carries_its_customs_lines(correos):
    label = client(correos, customs_reference="ESB87654321").create_label(TO_SWITZERLAND)
    assert pages(label.pdf) == 1
    sent = correos.last("PreregistroEnvio")
    assert (text_of(sent, "Destinatario/ZIP"), text_of(sent, "Destinatario/Pais")) == ("8001", "CH")
    assert text_of(sent, "Destinatario/CP") == "" and text_of(sent, "Envio/CodProducto") == "S0410"
    lines = all_of(sent, "Envio/Aduana/DescAduanera/DATOSADUANA")
    assert [
        (text_of(line, "Cantidad"), text_of(line, "Valorneto"), text_of(line, "Pesoneto"), text_of(line, "NTarifario"))
        for line in lines
    ] == [("2", "3980", "400", "610910"), ("1", "4500", "350", "420330"), ("3", "2700", "1050", "691200")]
    assert text_of(sent, "Envio/Aduana/RefAduaneraExpedidor") == "ESB87654321"


def test_a_label_outside_the_eu_without_customs_lines_is_refused_before_calling(correos):
    with pytest.raises(CarrierError, match="no customs lines"):
        client(correos).create_label(replace(TO_SWITZERLAND, customs=()))
    assert correos.registrations == []


def test_a_label_to_the_canary_islands_carries_customs_lines_and_the_contract_numbers(correos):
    las_palmas = Address("Nayra Santana", street="Calle Triana 60", city="Las Palmas de Gran Canaria", zip="35002",
                         country_code="ES", phone="+34 628 000 111")  # fmt: skip
    shipment = replace(TO_SWITZERLAND, recipient=las_palmas, customs=TO_SWITZERLAND.customs[:1])
    with pytest.raises(CarrierError, match="no customs lines"):
        client(correos).create_label(replace(shipment, customs=()))
    label = client(correos, contract_number="54000123", customer_number="81234567").create_label(shipment)
    assert pages(label.pdf) == 1
    sent = correos.last("PreregistroEnvio")
    assert (text_of(sent, "Destinatario/CP"), text_of(sent, "Envio/CodProducto")) == ("35002", "S0132")
    lines = all_of(sent, "Envio/Aduana/DescAduanera/DATOSADUANA")
    assert [(text_of(line, "NTarifario"), text_of(line, "PaisOrigen")) for line in lines] == [("610910", "PT")]
    assert (text_of(sent, "NumContrato"), text_of(sent, "NumCliente")) == ("54000123", "81234567")


def test_ceuta_needs_customs_lines_and_tenerife_from_gran_canaria_none(correos):
    ceuta = Address("Ahmed Benali", street="Paseo del Revellin 10", city="Ceuta", zip="51001", country_code="ES")
    with pytest.raises(CarrierError, match="no customs lines"):
        client(correos).create_label(replace(ONE_PARCEL, recipient=ceuta))
    assert correos.registrations == []
    gran_canaria = replace(WAREHOUSE, city="Telde", zip="35200")
    tenerife = Address("Pedro Diaz", street="Calle Castillo 12", city="Santa Cruz de Tenerife", zip="38002",
                       country_code="ES")  # fmt: skip
    client(correos).create_label(replace(ONE_PARCEL, sender=gran_canaria, recipient=tenerife))
    assert all_of(correos.last("PreregistroEnvio"), "Envio/Aduana") == []


def test_a_cancelled_label_is_cancelled_at_correos_and_an_admitted_one_is_refused(correos):
    correos_client = client(correos)
    label = correos_client.create_label(THREE_PARCELS)
    correos_client.cancel(label)
    assert {correos.parcels[number]["status"] for number in label.parcel_numbers} == {"cancelled"}
    admitted = correos_client.create_label(ONE_PARCEL)
    correos.advance(admitted.tracking_number, 2)
    with pytest.raises(CarrierError, match="already been admitted") as refused:
        correos_client.cancel(admitted.tracking_number)
    assert not refused.value.transient


def test_tracking_moves_from_pre_registered_to_delivered_with_the_delivery_time_in_utc(correos):
    correos_client = client(correos)
    number = correos_client.create_label(ONE_PARCEL).tracking_number
    assert correos_client.tracking(number).status == PENDING
    correos.advance(number, 4)
    moving = correos_client.tracking(number)
    assert (moving.status, moving.description, len(moving.events)) == (IN_TRANSIT, "En reparto", 4)
    correos.deliver(number)
    delivered = correos_client.tracking(number)
    assert delivered.status == DELIVERED
    assert delivered.delivered_at == datetime(2026, 12, 5, 10, 20, 5)  # 11:20:05 in Madrid (CET)
    assert correos_client.tracking("PQ7K3B4000000990141004Z").status == PENDING  # not known to Correos yet


def test_an_address_refused_gives_correos_reason_and_buys_nothing(correos):
    refused_address = replace(SEVILLA, zip="41999")
    with pytest.raises(CarrierError) as refused:
        client(correos).create_label(replace(ONE_PARCEL, recipient=refused_address))
    assert "postcode 41999 does not exist or is not served" in refused.value.message
    assert not refused.value.transient
    assert correos.registrations == []


def test_a_time_out_during_label_creation_then_a_retry_buys_one_label(correos):
    correos.delay_registration(1.5)
    correos_client = client(correos, timeout=0.5)
    with pytest.raises(CarrierError, match="did not answer") as timed_out:
        correos_client.create_label(THREE_PARCELS)
    assert timed_out.value.transient
    label = correos_client.create_label(THREE_PARCELS)  # the retry finds the labels Correos registered
    assert len(correos.registrations) == 1
    assert set(label.parcel_numbers) == set(correos.parcels) and pages(label.pdf) == 3


def test_wrong_credentials_are_named_and_never_shown(correos):
    with pytest.raises(CarrierError) as refused:
        client(correos, password="wrong-pass-1234").test_connection()
    assert refused.value.status == 401 and "check the Correos user and password" in refused.value.message
    with pytest.raises(CarrierError, match="check the labeller code") as wrong_code:
        client(correos, labeller_code="ZZ99").test_connection()
    with pytest.raises(CarrierError, match="check the Correos user and password") as tracking_refused:
        client(correos, user="someone-else").tracking("PQ7K3B4000000420141004X")
    for error in (refused.value, wrong_code.value, tracking_refused.value):
        # The labeller code is printed on every label: Correos' reason may name it, the user and password never.
        for secret in ("wrong-pass-1234", "someone-else", correos.password):
            assert secret not in error.message
    assert "Correos accepted" in client(correos).test_connection()


def test_a_label_answer_that_is_not_a_pdf_is_refused_and_the_retry_reprints_it(correos):
    correos.broken_label_next()
    correos_client = client(correos)
    with pytest.raises(CarrierError, match="no PDF label"):
        correos_client.create_label(ONE_PARCEL)
    label = correos_client.create_label(ONE_PARCEL)
    assert pages(label.pdf) == 1 and len(correos.registrations) == 1


def test_an_unreachable_service_names_its_host(correos):
    with pytest.raises(CarrierError, match="127.0.0.1 could not be reached") as unreachable:
        client(correos, service_url="http://127.0.0.1:9/preregistroenvios").test_connection()
    assert unreachable.value.unreachable


def test_a_server_error_after_the_purchase_then_a_retry_buys_one_label(correos):
    correos.fail_registration(502)
    correos_client = client(correos)
    with pytest.raises(CarrierError, match="answered 502") as failed:
        correos_client.create_label(ONE_PARCEL)
    assert failed.value.transient
    label = correos_client.create_label(ONE_PARCEL)
    assert list(correos.parcels) == [label.tracking_number] and len(correos.registrations) == 1


def test_a_name_longer_than_correos_accepts_is_refused_before_calling(correos):
    long_name = replace(SEVILLA, name="N" * 301)
    with pytest.raises(CarrierError, match="longer than the 300 characters") as refused:
        client(correos).create_label(replace(ONE_PARCEL, recipient=long_name))
    assert not refused.value.transient and correos.received == []


def test_parcels_billed_on_the_same_weight_are_priced_once(correos):
    twins = replace(THREE_PARCELS, parcels=(Parcel(2.0), Parcel(2.0), Parcel(2.0)), service="S0132")
    assert client(correos).rate(twins).price == pytest.approx(3 * 5.45)
    assert [name for name, _call in correos.received] == ["CalculaTarifa"]


def test_a_wsdl_url_that_serves_nothing_is_named(correos):
    with pytest.raises(CarrierError, match="check the Correos WSDL URL") as refused:
        client(correos, wsdl_url=f"{correos.url}/wsdl/missing.wsdl").test_connection()
    assert refused.value.status == 404 and not refused.value.transient


def test_missing_credentials_are_named_as_the_carrier_form_names_them():
    with pytest.raises(CarrierError, match="Correos needs the carrier's Password, Labeller Code: an OMS manager"):
        CorreosClient.from_credentials({"user": "oms", "wsdl_url": "https://example.com/preregistro.wsdl"})
