"""A Spanish user reads the carriers' errors in Spanish on the delivery (its Carrier Error, with a Retry, and its
notification) and in Test Connection: our sentence translated, the carrier's own words (a reason it sent) as it sent
them. Against the carriers' local stand-ins on 127.0.0.1, as ``test_carrier_platforms.py``."""

import ast
from pathlib import Path

from babel.messages.pofile import read_po

from odoo.addons.oms_fulfillment.services.carrier import CarrierError, Sentence, user_text
from odoo.addons.oms_fulfillment.stand_ins.correos import LocalCorreos
from odoo.addons.oms_fulfillment.stand_ins.dhl_express import LocalDhlExpress
from odoo.addons.oms_fulfillment.stand_ins.sendcloud import LocalSendcloud
from odoo.tests import tagged

from .common import CarrierCase
from .platform_carrier_tests import PlatformCarrier

ADDON = Path(__file__).resolve().parent.parent


def marked_sentences() -> set[str]:
    """Every sentence the services mark with ``_``, read as Python reads it (a marker whose first argument is not
    one literal string would not be extracted)."""
    sentences = set()
    for path in (ADDON / "services").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                assert isinstance(node.args[0], ast.Constant), f"{path.name}:{node.lineno}: _ of a non-literal"
                sentences.add(node.args[0].value)
    return sentences


def test_an_error_is_english_by_str_and_translated_whole_by_text():
    template = "%(platform)s answered %(status)s (%(detail)s): %(hint)s"
    hint = Sentence("check the settings")
    error = CarrierError(Sentence(template, {"platform": "X", "status": 400, "detail": "Bad zip", "hint": hint}))
    assert str(error) == "X answered 400 (Bad zip): check the settings"
    spanish = {template: "%(platform)s respondió %(status)s (%(detail)s): %(hint)s", hint: "revise la configuración"}

    def translate(source, **values):
        return spanish[source] % values if values else spanish[source]

    # Our sentences are translated, nested ones too; the carrier's words and the values stay as they are.
    assert error.text(translate) == "X respondió 400 (Bad zip): revise la configuración"
    assert user_text(error, translate) == error.text(translate)
    assert user_text(ValueError("plain"), translate) == "plain"


def test_every_marked_sentence_is_in_the_terms_with_its_spanish():
    terms = {message.id for message in read_po((ADDON / "i18n" / "oms_fulfillment.pot").open("rb")) if message.id}
    spanish = {m.id: m.string for m in read_po((ADDON / "i18n" / "es.po").open("rb"), locale="es") if m.id}
    sentences = marked_sentences()
    assert len(sentences) > 150
    assert sentences - terms == set(), "export the terms again (see the module's i18n folder)"
    assert {sentence for sentence in sentences if not spanish.get(sentence)} == set()


class SpanishCarrierErrorsCase(PlatformCarrier, CarrierCase):
    """One platform carrier of ``delivery_type`` on its stand-in; deliveries handled by a Spanish user."""

    def validated_in_spanish(self, picking):
        """The delivery validated by a Spanish user: (the notification, the delivery) when the carrier failed."""
        picking = picking.with_context(lang="es_ES")
        picking.move_ids.picked = True
        result = picking.button_validate()
        self.assertEqual(result["params"]["type"], "danger", picking.oms_carrier_error)
        self.assertEqual(picking.state, "assigned")
        self.assertTrue(picking.oms_carrier_error)
        return result, picking

    def assert_spanish_error(self, picking, *words):
        """The delivery's Carrier Error and the note of its chatter hold these words."""
        error = picking.oms_carrier_error
        for word in words:
            self.assertIn(word, error)
        self.assertIn(words[0], picking.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestCorreosErrorsInSpanish(SpanishCarrierErrorsCase):
    delivery_type = "oms_correos"
    stand_in = LocalCorreos

    def test_a_parcel_without_weight_is_said_in_spanish(self):
        self.kettle.weight = 0.0
        self.box.base_weight = 0.0
        picking = self.packed_delivery(1)
        picking.move_line_ids.result_package_id.shipping_weight = 0.0
        result, picking = self.validated_in_spanish(picking)
        self.assert_spanish_error(picking, "un bulto no tiene peso: péselo antes de consultar a Correos")
        self.assertIn("no pudo crear la etiqueta", picking.oms_carrier_error)
        self.assertNotIn("weigh it", picking.oms_carrier_error)
        self.assertIn("un bulto no tiene peso", result["params"]["message"])
        self.assertFalse(self.server.registrations)

    def test_an_address_correos_refuses_is_our_sentence_in_spanish_and_correos_reason_as_sent(self):
        self.lucia.zip = "41999"
        _result, picking = self.validated_in_spanish(self.packed_delivery(1))
        # Correos' own reason as its stand-in sends it (in English: the client asks with IdiomaErrores EN).
        self.assert_spanish_error(
            picking,
            "Correos rechazó la etiqueta: The recipient postcode 41999 does not exist",
            "(error de Correos 1107)",
        )
        self.assertNotIn("refused the label", picking.oms_carrier_error)

    def test_a_label_that_is_not_a_pdf_is_said_in_spanish(self):
        self.server.broken_label_next()
        _result, picking = self.validated_in_spanish(self.packed_delivery(1))
        self.assert_spanish_error(
            picking, "Correos no envió la etiqueta en PDF del bulto", "la etiqueta se reimprime, no se compra otra vez"
        )

    def test_correos_timing_out_is_said_in_spanish(self):
        self.server.delay_registration(2.0)
        _result, picking = self.validated_in_spanish(self.packed_delivery(1))
        self.assert_spanish_error(picking, "Correos no respondió a la petición de etiqueta en 1 s: inténtelo de nuevo")


@tagged("post_install", "-at_install")
class TestDhlExpressErrorsInSpanish(SpanishCarrierErrorsCase):
    delivery_type = "oms_dhl_express"
    stand_in = LocalDhlExpress

    def test_dhl_timing_out_on_the_label_is_said_in_spanish_with_what_retry_does(self):
        self.server.delay_answer_next(1, 2.0)
        _result, picking = self.validated_in_spanish(self.packed_delivery(1))
        # The shared HTTP layer's sentence inside DHL's: both in Spanish.
        self.assert_spanish_error(
            picking,
            "DHL Express no respondió en 1 s tras 1 intentos",
            "Puede que DHL Express haya comprado la etiqueta de todos modos: Reintentar busca primero",
        )
        self.assertNotIn("did not answer", picking.oms_carrier_error)

    def test_a_parcel_without_weight_is_said_in_spanish(self):
        self.kettle.weight = 0.0
        self.box.base_weight = 0.0
        picking = self.packed_delivery(1)
        picking.move_line_ids.result_package_id.shipping_weight = 0.0
        _result, picking = self.validated_in_spanish(picking)
        self.assert_spanish_error(picking, "el bulto 1 no tiene peso: péselo antes de consultar a DHL Express")

    def test_wrong_credentials_in_test_connection_are_said_in_spanish(self):
        self.platform.oms_api_secret = "dhl-wrong-secret-77"
        result = self.platform.with_context(lang="es_ES").action_oms_test_connection()
        self.assertEqual(result["params"]["type"], "danger")
        message = result["params"]["message"]
        self.assertIn("DHL Express respondió 401", message)
        self.assertIn("revise la clave y el secreto de API de DHL", message)
        self.assertNotIn("dhl-wrong-secret-77", message)


@tagged("post_install", "-at_install")
class TestSendcloudErrorsInSpanish(SpanishCarrierErrorsCase):
    delivery_type = "oms_sendcloud"
    stand_in = LocalSendcloud

    def test_the_connection_test_is_said_in_spanish_whether_it_works_or_not(self):
        result = self.platform.with_context(lang="es_ES").action_oms_test_connection()
        self.assertIn("Conectado a Sendcloud: las claves son válidas", result["params"]["message"])
        self.platform.oms_api_secret = "sc-secret-wrong-1234"
        result = self.platform.with_context(lang="es_ES").action_oms_test_connection()
        message = result["params"]["message"]
        self.assertIn("Sendcloud respondió 401", message)
        self.assertIn("revise la clave pública y la clave secreta de la integración de Sendcloud", message)
        self.assertNotIn("sc-secret-wrong-1234", message)

    def test_a_label_that_is_not_a_pdf_is_said_in_spanish(self):
        self.server.labels_are_pdf = False
        _result, picking = self.validated_in_spanish(self.packed_delivery(1))
        self.assert_spanish_error(picking, "Sendcloud no envió el PDF del bulto (etiqueta): la etiqueta está comprada")

    def test_an_address_sendclouds_carrier_refuses_keeps_its_words(self):
        self.lucia.zip = "99999"
        _result, picking = self.validated_in_spanish(self.packed_delivery(1))
        self.assert_spanish_error(
            picking,
            "Sendcloud respondió 400 (to_address postal_code: The postal code 99999 does not exist in ES",
            "corrija el envío e inténtelo de nuevo",
        )

    def test_rate_shopping_shows_a_carriers_error_in_spanish(self):
        self.server.delay_next(4, 2.0)
        picking = self.packed_delivery(1).with_context(lang="es_ES")
        picking.action_oms_shop_rates()
        quote = picking.oms_carrier_quote_ids.filtered(lambda q: q.carrier_id == self.platform)
        self.assertIn("Sendcloud no respondió en 1 s tras", quote.error_message)
