"""The HTTP calls of the carriers' REST clients: :class:`~odoo.addons.oms_intelligent.services.http_client.ServiceHttp`
raising :class:`~.carrier.CarrierError`, with few retries and short waits, as a person is usually waiting for a
rate or a label at the pack screen."""

from dataclasses import dataclass

from odoo.addons.oms_intelligent.services.http_client import ServiceHttp

from .carrier import DEFAULT_TIMEOUT, CarrierError


@dataclass
class CarrierHttp(ServiceHttp):
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = 2
    backoff: float = 0.3
    max_wait: float = 5.0
    html_hint = "a maintenance, login or proxy page: check the carrier's service URL"

    def error(self, message: str, *, transient: bool, status: int | None = None, unreachable: bool = False):
        return CarrierError(message, transient=transient, status=status, unreachable=unreachable)
