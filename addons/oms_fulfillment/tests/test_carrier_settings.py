"""What a merchant sets on Sendcloud, DHL Express and Correos carriers besides their credentials (the label's paper,
DHL's incoterm and courier pickup, the Correos contract's numbers), and customs for the Canary Islands, Ceuta and
Melilla, each against the carrier's local stand-in on 127.0.0.1."""

import io

import PyPDF2

from odoo.addons.oms_fulfillment.stand_ins.correos import LocalCorreos
from odoo.addons.oms_fulfillment.stand_ins.correos_answers import all_of, text_of
from odoo.addons.oms_fulfillment.stand_ins.dhl_express import LocalDhlExpress
from odoo.addons.oms_fulfillment.stand_ins.sendcloud import LocalSendcloud
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CarrierCase
from .platform_carrier_tests import HS_CODE, PlatformCarrier

A6, A4 = (298, 420), (595, 842)


def page_sizes(pdf: bytes) -> set[tuple[int, int]]:
    boxes = [page.mediabox for page in PyPDF2.PdfReader(io.BytesIO(pdf)).pages]
    return {(round(float(box.width)), round(float(box.height))) for box in boxes}


class CanaryIslandsCase(PlatformCarrier, CarrierCase):
    """A platform carrier that also serves a customer in Las Palmas de Gran Canaria."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nayra = cls.env["res.partner"].create(
            {
                "name": "Nayra Santana",
                "street": "Calle Triana 60",
                "zip": "35001",
                "city": "Las Palmas de Gran Canaria",
                "country_id": cls.env.ref("base.es").id,
                "phone": "+34 628 000 111",
            }
        )

    def oms_user(self):
        return new_test_user(
            self.env,
            "carrier_settings_user",
            groups="stock.group_stock_user,oms_intelligent.group_oms_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )


@tagged("post_install", "-at_install")
class TestSendcloudSettings(CanaryIslandsCase):
    delivery_type = "oms_sendcloud"
    stand_in = LocalSendcloud

    def test_labels_come_on_a6_and_on_a4_once_the_carrier_prints_on_office_paper(self):
        picking = self.packed_delivery(1)
        self.assertIs(self.validate_packed(picking), True, picking.oms_carrier_error)
        self.assertEqual(page_sizes(self.label_of(picking).raw), {A6})
        self.platform.oms_label_paper_size = "A4"
        picking = self.packed_delivery(3)
        self.assertIs(self.validate_packed(picking), True, picking.oms_carrier_error)
        self.assertEqual(page_sizes(self.label_of(picking).raw), {A4})
        self.assertEqual(len(PyPDF2.PdfReader(io.BytesIO(self.label_of(picking).raw)).pages), 3)

    def test_an_oms_user_reads_the_label_paper_size(self):
        self.assertEqual(self.platform.with_user(self.oms_user()).oms_label_paper_size, "A6")


@tagged("post_install", "-at_install")
class TestDhlExpressSettings(CanaryIslandsCase):
    delivery_type = "oms_dhl_express"
    stand_in = LocalDhlExpress

    def label_request(self):
        return self.server.calls("POST", "/shipments")[-1].body

    def test_an_a4_ddp_label_with_a_courier_pickup_is_asked_so_and_its_pickup_cancelled_with_it(self):
        self.platform.write(
            {
                "oms_label_paper_size": "A4",
                "oms_incoterm": "DDP",
                "oms_book_pickup": True,
                "oms_pickup_close_time": 17.5,
                "oms_pickup_location": "Dock 3",
                "oms_pickup_requestor": "Ana Gil",
            }
        )
        picking = self.packed_delivery(1, partner=self.oliver)
        self.assertIs(self.validate_packed(picking), True, picking.oms_carrier_error)
        self.assertEqual(page_sizes(self.label_of(picking).raw), {A4})
        body = self.label_request()
        self.assertEqual(body["outputImageProperties"]["imageOptions"][0]["templateName"], "ECOM26_84_A4_001")
        self.assertEqual(body["content"]["incoterm"], "DDP")
        self.assertIn({"serviceCode": "DD"}, body["valueAddedServices"])
        self.assertEqual(body["pickup"], {"isRequested": True, "closeTime": "17:30", "location": "Dock 3"})
        pickup = picking.oms_carrier_shipment_id
        picking.cancel_shipment()
        self.assertEqual(self.server.pickups[pickup], "cancelled")
        self.assertEqual(self.server.calls("DELETE", f"/pickups/{pickup}")[0].query["requestorName"], "Ana Gil")

    def test_without_a_pickup_booked_the_courier_is_not_asked_for(self):
        picking = self.packed_delivery(1)
        self.assertIs(self.validate_packed(picking), True, picking.oms_carrier_error)
        self.assertEqual(self.label_request()["pickup"], {"isRequested": False})
        self.assertEqual(self.label_request()["content"]["incoterm"], "DAP")
        self.assertEqual(page_sizes(self.label_of(picking).raw), {A6})

    def test_a_pickup_close_time_is_a_time_of_day(self):
        with self.assertRaises(ValidationError):
            self.platform.oms_pickup_close_time = 25.0

    def test_a_delivery_from_madrid_to_las_palmas_is_dutiable_with_its_customs_lines(self):
        self.platform.oms_service_code = "P"
        picking = self.packed_delivery(1, partner=self.nayra)
        self.assertIs(self.validate_packed(picking), True, picking.oms_carrier_error)
        content = self.label_request()["content"]
        self.assertIs(content["isCustomsDeclarable"], True)
        line = content["exportDeclaration"]["lineItems"][0]
        self.assertEqual((line["commodityCodes"][0]["value"], line["manufacturerCountry"]), (HS_CODE, "CN"))
        self.assertTrue(self.attachments(picking).filtered(lambda a: "commercial_invoice" in a.name))


@tagged("post_install", "-at_install")
class TestCorreosSettings(CanaryIslandsCase):
    delivery_type = "oms_correos"
    stand_in = LocalCorreos

    def test_a_delivery_from_madrid_to_las_palmas_carries_customs_lines_and_the_contract(self):
        self.platform.write(
            {
                "oms_contract_number": "54000123",
                "oms_customer_number": "81234567",
                "oms_customs_reference": "ESB87654321",
            }
        )
        picking = self.packed_delivery(1, partner=self.nayra)
        self.assertIs(self.validate_packed(picking), True, picking.oms_carrier_error)
        self.assertTrue(picking.carrier_tracking_ref)
        sent = self.server.last("PreregistroEnvio")
        self.assertEqual(text_of(sent, "Destinatario/CP"), "35001")
        lines = all_of(sent, "Envio/Aduana/DescAduanera/DATOSADUANA")
        self.assertEqual(
            [(text_of(line, "NTarifario"), text_of(line, "PaisOrigen"), text_of(line, "Cantidad")) for line in lines],
            [(HS_CODE, "CN", "1")],
        )
        self.assertEqual(text_of(sent, "Envio/Aduana/RefAduaneraExpedidor"), "ESB87654321")
        self.assertEqual((text_of(sent, "NumContrato"), text_of(sent, "NumCliente")), ("54000123", "81234567"))

    def test_a_delivery_to_the_mainland_carries_no_customs_lines(self):
        picking = self.packed_delivery(1)
        self.assertIs(self.validate_packed(picking), True, picking.oms_carrier_error)
        self.assertEqual(all_of(self.server.last("PreregistroEnvio"), "Envio/Aduana"), [])

    def test_the_contract_numbers_are_for_oms_managers_only(self):
        carrier = self.platform.with_user(self.oms_user())
        with self.assertRaises(AccessError):
            carrier.read(["oms_contract_number"])
        with self.assertRaises(AccessError):
            carrier.read(["oms_customs_reference"])
