"""The HTTP calls of the carriers' REST clients: :class:`~odoo.addons.oms_intelligent.services.http_client.ServiceHttp`
raising :class:`~.carrier.CarrierError`, with few retries and short waits, as a person is usually waiting for a
rate or a label at the pack screen. What a failed call says is in the carriers' own translatable sentences
(:class:`~.carrier.Sentence`), so that the delivery shows it in the user's language."""

from dataclasses import dataclass

from odoo.addons.oms_intelligent.services.http_client import ServiceHttp

# Sentences marked with carrier._ (plain Python, no env); the Odoo side translates them with self.env._.
# pylint: disable=prefer-env-translation
from .carrier import DEFAULT_TIMEOUT, CarrierError, Sentence, _

# ServiceHttp's messages (same keys and placeholders), marked for translation with the carriers' terms.
MESSAGES = {
    "url_unusable": _("%(platform)s URL is not usable (%(error)s): %(hint)s"),
    "check_url": _("check it"),
    "timed_out": _("did not answer within %(seconds)s s"),
    "unreachable": _("could not be reached"),
    "answered": _("answered %(status)s"),
    "answered_html": _("answered %(status)s with an HTML page (%(hint)s)"),
    "asks_to_wait": _(
        "%(platform)s %(failure)s and asks to wait %(seconds)s s before the next call; the next run goes on from here"
    ),
    "gave_up": _("%(platform)s %(failure)s after %(attempts)s attempts"),
    "gave_up_unreachable": _("%(platform)s %(failure)s after %(attempts)s attempts: %(hint)s"),
    "check_host": _("check the host name"),
    "invalid_json": _("%(platform)s sent invalid JSON for %(what)s: %(text)r"),
    "html_page": _("%(platform)s answered %(what)s with an HTML page instead of data (status %(status)s: %(hint)s)"),
    "refused": _("%(platform)s answered %(status)s: %(hint)s"),
    "refused_detail": _("%(platform)s answered %(status)s (%(detail)s): %(hint)s"),
}
DEFAULT_HINTS = {
    400: _("the service refused the request"),
    401: _("check the credentials"),
    403: _("check the credentials' permissions"),
    404: _("check the address and the API version"),
}


@dataclass
class CarrierHttp(ServiceHttp):
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = 2
    backoff: float = 0.3
    max_wait: float = 5.0
    fallback_hint: Sentence = _("check the settings")
    html_hint = _("a maintenance, login or proxy page: check the carrier's service URL")
    default_hints = DEFAULT_HINTS
    messages = MESSAGES

    def say(self, key: str, **values) -> Sentence:
        return Sentence(self.messages[key].template, values)

    def error(self, message, *, transient: bool, status: int | None = None, unreachable: bool = False):
        return CarrierError(message, transient=transient, status=status, unreachable=unreachable)
