"""Correos (Spain): labels by its pre-registration web service (SOAP, zeep), domestic rates by ``CalculaTarifa``,
tracking by its REST/JSON locator. The facts and their sources: tests/fixtures/carriers/correos/API.md.

- ``PreRegistro`` (one parcel) / ``PreRegistroMultibulto`` (several) give each parcel's code (``CodEnvio``, its
  tracking number) and PDF label; ``AnularOp`` cancels one parcel code; ``CalculaTarifa`` prices one parcel between
  two Spanish postcodes. Correos cannot price an international parcel: its rates are refused with a CarrierError
  that says to use a price rule on the carrier.
- Correos has no idempotency key. Every parcel carries ``<our reference>/<n>`` as ``ReferenciaCliente``; before
  pre-registering, ``SolicitudEtiquetaRefCliOp`` asks whether that reference is already registered (a call that
  timed out may have been registered), so a retry returns the label bought before instead of a second one.
- HTTP basic authentication (the user and password Correos gives with the contract) on both services; every SOAP
  body also names the labeller code.

The WSDL is read from ``wsdl_url`` (http(s) only, as every zeep client here), its address replaced by
``service_url``. Messages never show the user or the password.
"""

from odoo.addons.oms_intelligent.services.redact import url_secrets
from odoo.addons.oms_intelligent.services.soap_transport import check_location
from odoo.tools.pdf import merge_pdf

from . import carrier_correos_documents as documents

# Sentences marked with carrier._ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation
from .carrier import (
    DEFAULT_TIMEOUT,
    CarrierError,
    Label,
    Rate,
    Shipment,
    TrackingStatus,
    _,
    checked_number,
    checked_pdf,
    joined,
    parcel_number,
)
from .carrier_correos_soap import CorreosSoap
from .carrier_correos_tracking import CorreosTracking

PRODUCTION_SERVICE_URL = "https://preregistroenvios.correos.es/preregistroenvios"
PRODUCTION_TRACKING_URL = "https://localizador.correos.es"
PUBLIC_TRACKING_URL = "https://www.correos.es/es/es/herramientas/localizador/envios/detalle?tracking-number={}"
# The credentials without which nothing can be asked, by the names the carrier's form gives them.
REQUIRED_CREDENTIALS = {
    "user": _("Web Service User"),
    "password": _("Password"),
    "labeller_code": _("Labeller Code"),
    "wsdl_url": _("WSDL URL"),
}


class CorreosClient:
    """One Correos contract. Creating it reads nothing: the WSDL is loaded by the first SOAP call."""

    def __init__(self, account: dict, *, timeout: float = DEFAULT_TIMEOUT, session=None):
        self._account = account
        # The labeller code is printed on every label (and inside parcel codes): not masked, unlike the password.
        secrets = (account["user"], account["password"], *url_secrets(account["wsdl_url"]))
        self.soap = CorreosSoap(
            account["wsdl_url"], account["service_url"], (account["user"], account["password"]), secrets, timeout
        )
        self.locator = CorreosTracking(
            account["tracking_url"], (account["user"], account["password"]), secrets, timeout, session
        )

    @classmethod
    def from_credentials(cls, credentials: dict, **options) -> "CorreosClient":
        """``credentials``:

        - ``user``, ``password``: the web-service user Correos gives with the contract (HTTP basic authentication
          of both the pre-registration and the tracking service);
        - ``labeller_code``: ``CodEtiquetador``, the 4-character labeller code of the contract;
        - ``wsdl_url``: where the pre-registration WSDL is read (http(s); Correos gives it as a file, so host it);
        - ``service_url``: the pre-registration endpoint, default production (test: ``https://
          preregistroenviospre.correos.es/preregistroenvios``); ``tracking_url``: the locator's base URL;
        - optional ``contract_number``, ``customer_number`` (at most 8 characters) and ``customs_reference``
          (the sender's EORI, on customs declarations).

        ``options``: ``timeout`` (seconds), ``session`` (requests session of the tracking calls)."""
        account = {key: str(value).strip() for key, value in (credentials or {}).items() if value}
        missing = [label for key, label in REQUIRED_CREDENTIALS.items() if not account.get(key)]
        if missing:
            raise CarrierError(
                _(
                    "Correos needs the carrier's %(settings)s: an OMS manager sets them on its Carrier Account tab",
                    settings=joined(missing, ", "),
                ),
                transient=False,
            )
        if len(account["labeller_code"]) > 4:
            raise CarrierError(_("the Correos labeller code has at most 4 characters: check it"), transient=False)
        account.setdefault("service_url", PRODUCTION_SERVICE_URL)
        account.setdefault("tracking_url", PRODUCTION_TRACKING_URL)
        for key in ("wsdl_url", "service_url", "tracking_url"):
            if not account[key].lower().startswith(("http://", "https://")):
                raise CarrierError(
                    _("the Correos %(setting)s must start with http:// or https://", setting=key), transient=False
                )
        check_location(account["service_url"])
        return cls(account, **options)

    def __repr__(self) -> str:
        return f"CorreosClient({self._account['service_url']!r})"

    # --- connection and rates ---------------------------------------------------------------------------------------

    def test_connection(self) -> str:
        """Prices 1 kg of Paq Estándar between two Madrid postcodes: a read call that checks the WSDL URL, the
        service URL, the user and password, and the labeller code."""
        body = {
            "FechaOperacion": documents.operation_date(),
            "CodEtiquetador": self._account["labeller_code"],
            "CPRemitente": "28001",
            "CPDestinatario": "28002",
            "CodProducto": "S0132",
            "TipoPeso": "R",
            "Valor": "1000",
            "IdiomaErrores": "EN",
        }
        answer = self.soap.call("CalculaTarifa", body, _("connection test"))
        if answer.Resultado != 0:
            raise CarrierError(
                _(
                    "Correos accepted the user and password but refused the request (%(reason)s): check the labeller "
                    "code and the contract",
                    reason=self.soap.refusal_text(answer),
                ),
                transient=False,
            )
        return _(
            "Correos accepted the user, the password and the labeller code (1 kg Paq Estándar: %(price)s EUR)",
            price=answer.Tarifa,
        )

    def rates(self, shipment: Shipment) -> list[Rate]:
        """A rate per home-delivery product the contract prices for this route (one call per parcel and product);
        products the contract refuses are left out."""
        self._check_domestic(shipment)
        products = (shipment.service,) if shipment.service else documents.DOMESTIC_PRODUCTS
        rates, refusals = [], []
        for product in products:
            try:
                rates.append(self._rate_of(shipment, product))
            except CarrierError as exc:
                if exc.transient:
                    raise
                refusals.append(exc.sentence or exc.message)
        if not rates:
            raise CarrierError(joined(refusals), transient=False)
        return rates

    def rate(self, shipment: Shipment) -> Rate:
        """The shipment's product, else the cheapest home delivery."""
        return min(self.rates(shipment), key=lambda rate: rate.price)

    def _check_domestic(self, shipment: Shipment) -> None:
        if not documents.is_domestic(shipment):
            raise CarrierError(
                _(
                    "Correos prices only parcels between two Spanish postcodes: for this destination, set a price "
                    "rule on the Correos carrier (Pricing: based on rules)"
                ),
                transient=False,
            )

    def _rate_of(self, shipment: Shipment, product: str) -> Rate:
        """The sum of the parcels' prices; parcels billed on the same weight are priced by one call."""
        prices: dict[str, float] = {}
        total = 0.0
        for parcel in shipment.parcels:
            request = documents.rate_request(shipment, parcel, product, self._account["labeller_code"])
            if request["Valor"] not in prices:
                prices[request["Valor"]] = self._parcel_price(request, product)
            total += prices[request["Valor"]]
        known = documents.PRODUCTS.get(product)
        return Rate(
            price=round(total, 2),
            currency="EUR",
            transit_days=known.transit_days if known else None,
            service=product,
            service_name=f"Correos {known.name}" if known else f"Correos {product}",
        )

    def _parcel_price(self, request: dict, product: str) -> float:
        answer = self.soap.call("CalculaTarifa", request, _("rate"))
        if answer.Resultado != 0:
            raise CarrierError(
                _(
                    "Correos gave no %(product)s rate: %(reason)s",
                    product=product,
                    reason=self.soap.refusal_text(answer),
                ),
                transient=False,
            )
        # Tarifa's format is not documented: euros, with a dot or a comma.
        return checked_number(str(answer.Tarifa or "").replace(",", "."), _("Correos answered an unreadable rate"))

    # --- labels -----------------------------------------------------------------------------------------------------

    def create_label(self, shipment: Shipment) -> Label:
        """The shipment's labels, one PDF page per parcel. A label Correos registered for this reference before
        (a call that timed out) is returned instead of buying a second one."""
        if not shipment.parcels:
            raise CarrierError(_("the shipment has no parcels"), transient=False)
        product = shipment.service or (
            documents.DEFAULT_DOMESTIC_PRODUCT if documents.is_domestic(shipment) else documents.INTERNATIONAL_PRODUCT
        )
        operation, body = documents.registration(shipment, product, self._account)
        bought_before = self._registered_parcels(shipment)
        if bought_before:
            return self._label(bought_before, "")
        answer = self.soap.call(operation, body, _("label"))
        parcels = _registered(answer, operation)
        if answer.Resultado != 0 or not parcels:
            reason = self.soap.refusal_text(answer)
            self._cancel_partial([str(parcel.CodEnvio) for parcel in parcels], reason)
            raise CarrierError(_("Correos refused the label: %(reason)s", reason=reason), transient=False)
        return self._label(parcels, answer.CodExpedicion or "")

    def _cancel_partial(self, numbers: list[str], reason: str) -> None:
        """A refused shipment whose other parcels Correos registered anyway: they are cancelled, so that a corrected
        shipment is not labelled twice."""
        try:
            for number in numbers:
                self.cancel(number)
        except CarrierError:
            raise CarrierError(
                _(
                    "Correos refused the label (%(reason)s) but registered parcels %(parcels)s: cancel them in "
                    "Correos' portal before buying the label again",
                    reason=reason,
                    parcels=", ".join(numbers),
                ),
                transient=False,
            ) from None

    def _registered_parcels(self, shipment: Shipment) -> list:
        """The parcels Correos already holds under this shipment's references (empty when none)."""
        first = self._parcel_by_reference(documents.parcel_reference(shipment, 1))
        if first is None:
            return []
        parcels = [first]
        for number in range(2, len(shipment.parcels) + 1):
            parcel = self._parcel_by_reference(documents.parcel_reference(shipment, number))
            if parcel is None:
                raise CarrierError(
                    _(
                        "Correos holds only some parcels of %(reference)s: cancel parcel %(parcel)s in Correos' "
                        "portal, then buy the label again",
                        reference=shipment.reference,
                        parcel=first.CodEnvio,
                    ),
                    transient=False,
                )
            parcels.append(parcel)
        return parcels

    def _parcel_by_reference(self, reference: str):
        body = {
            "FechaOperacion": documents.operation_date(),
            "CodEtiquetador": self._account["labeller_code"],
            "ReferenciaCliente": reference,
            "ReferenciaCliente2": "",
            "ReferenciaCliente3": "",
            "Care": "000000",
            "ModDevEtiqueta": "2",
            "IdiomaErrores": "EN",
        }
        answer = self.soap.call("SolicitudEtiquetaRefCliOp", body, _("label look-up"))
        return answer.Bulto if answer.Resultado == 0 and answer.Bulto is not None else None

    def _label(self, parcels: list, expedition: str) -> Label:
        numbers = tuple(parcel_number(parcel.CodEnvio) for parcel in parcels)
        if not all(numbers):
            raise CarrierError(
                _(
                    "Correos sent a label without its parcel code: try again, the label is then reprinted, not "
                    "bought again"
                )
            )
        pdfs = [_parcel_pdf(parcel) for parcel in parcels]
        return Label(
            tracking_number=numbers[0],
            pdf=pdfs[0] if len(pdfs) == 1 else _merged(pdfs),
            tracking_url=PUBLIC_TRACKING_URL.format(numbers[0]),
            parcel_numbers=numbers,
            parcel_tracking_urls=tuple(PUBLIC_TRACKING_URL.format(number) for number in numbers),
            shipment_id=str(expedition or ""),
        )

    # --- after the label --------------------------------------------------------------------------------------------

    def cancel(self, label_or_number) -> None:
        """Cancels every parcel of a label (or one parcel code). Correos refuses once it has the parcel."""
        if isinstance(label_or_number, Label):
            numbers = label_or_number.parcel_numbers or (label_or_number.tracking_number,)
        else:
            numbers = (str(label_or_number),)
        for number in numbers:
            answer = self.soap.call("AnularOp", {"codCertificado": number, "IdiomaErrores": "EN"}, _("cancellation"))
            if answer.Resultado != 0:
                raise CarrierError(
                    _(
                        "Correos did not cancel parcel %(parcel)s: %(reason)s. If Correos already has it, ask Correos "
                        "to return it",
                        parcel=number,
                        reason=self.soap.refusal_text(answer),
                    ),
                    transient=False,
                )

    def tracking(self, number: str) -> TrackingStatus:
        return self.locator.status(number)


def _registered(answer, operation: str) -> list:
    if operation == "PreRegistro":
        return [answer.Bulto] if answer.Bulto is not None else []
    parcels = getattr(answer.Bultos, "Bulto", None) or []
    return [parcel for parcel in parcels if parcel is not None]


def _parcel_pdf(parcel) -> bytes:
    label = getattr(parcel.Etiqueta, "Etiqueta_pdf", None)
    try:
        return checked_pdf(getattr(label, "Fichero", None))
    except CarrierError:
        raise CarrierError(
            _(
                "Correos sent no PDF label for parcel %(parcel)s: try again, the label is then reprinted, not "
                "bought again",
                parcel=parcel.CodEnvio,
            )
        ) from None


def _merged(pdfs: list[bytes]) -> bytes:
    """One PDF with every parcel's label, one after the other (Correos sends a PDF per parcel)."""
    try:
        return merge_pdf(pdfs)
    except Exception:  # noqa: BLE001 - whatever the PDF library raises on a broken file
        raise CarrierError(_("Correos sent a label PDF that cannot be read"), transient=False) from None
