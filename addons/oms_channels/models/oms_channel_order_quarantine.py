import logging
import traceback

from odoo import api, models
from odoo.exceptions import UserError

from ..services.import_plan import PlanError
from ..services.payload import ChannelOrderError, clean_text, parse_payload, payload_fingerprint, storable_json

_logger = logging.getLogger(__name__)


class OmsChannelOrderQuarantine(models.Model):
    """Orders kept in error with their reason and category, and their retry once the reason is fixed."""

    _inherit = "oms.channel.order"

    @api.model
    def _quarantine_unexpected(self, channel, payload, source, sender, error):
        """Keep a payload whose storing failed unexpectedly, in error ("internal") with the exception's last line,
        so that staff see it and the channel's other orders go on. Empty only when even that fails (logged)."""
        _logger.exception("channel %s: a payload could not be stored", channel.code, exc_info=error)
        try:
            if isinstance(payload, bytes):
                text = clean_text(payload.decode("utf-8", errors="replace"), multiline=True)
            elif isinstance(payload, str):
                text = clean_text(payload, multiline=True)
            else:
                text = storable_json(payload)
            fingerprint = payload_fingerprint({"raw": text})
            vals = {
                "channel_id": channel.id,
                "source": source,
                "sender_address": sender or False,
                "payload": text,
                "fingerprint": fingerprint,
                "external_ref": f"internal-{fingerprint[:16]}",
                "state": "error",
                "error_category": "internal",
                "error_message": self._describe_exception(error),
            }
            with self.env.cr.savepoint():
                return self._create_or_count(vals)
        except Exception:
            _logger.exception("channel %s: a payload could not even be quarantined", channel.code)
            return self.browse()

    @api.model
    def _describe_exception(self, error):
        """The last line of the exception's traceback, as staff read it on the order: "ValueError: ..."."""
        return clean_text(traceback.format_exception_only(error)[-1].strip())

    def _set_error(self, category, message):
        message = clean_text(message, multiline=True)
        self._oms_write({"state": "error", "error_category": category, "error_message": message})

    def _set_internal_error(self, error):
        """An exception nobody foresaw: the order keeps it (its last line) in error, the log has the traceback."""
        _logger.exception("channel order %s could not be imported", self.external_ref, exc_info=error)
        self._set_error("internal", self._describe_exception(error))

    def _set_import_error(self, error):
        """Keep why the order could not be imported: what the plan rejected or Odoo refused, else an internal
        error."""
        if isinstance(error, PlanError):
            self._set_error(error.category, self._plan_error_message(error))
        elif isinstance(error, ChannelOrderError):
            self._set_error(error.category, str(error))
        elif isinstance(error, UserError):
            self._set_error("import_failed", str(error))
        else:
            self._set_internal_error(error)

    def _plan_error_message(self, error):
        """Why the import plan rejected the order, in the user's language."""
        params = error.params
        if error.reason == "quantity_below_unit":
            return self.env._(
                "lines[%(index)s].quantity %(quantity)s is less than the smallest quantity of %(product)s",
                index=params["index"],
                quantity=params["quantity"],
                product=self.env["product.product"].browse(params["product_id"]).display_name,
            )
        if error.reason == "no_pricelist":
            return self.env._(
                "currency %(currency)s has no active pricelist in company %(company)s: "
                "activate it and add a pricelist in it",
                currency=params["currency"],
                company=self.channel_id.company_id.name,
            )
        if error.reason == "unmapped_shipping":
            return self.env._(
                "shipping method %(method)s is not mapped to a carrier on channel %(channel)s",
                method=params["method"],
                channel=self.channel_id.name,
            )
        if error.reason == "unknown_country":
            return self.env._("unknown country code %s", params["country_code"])
        return str(error)

    def action_retry(self):
        """Import again the orders in error (after fixing a binding, a currency, a carrier mapping...)."""
        retried = self.filtered(lambda record: record.state == "error")
        for record in retried:
            payload = record.payload
            try:
                data = parse_payload(payload)
            except ChannelOrderError as error:
                record._set_error(error.category, str(error))
                continue
            vals = {"state": "new", "error_category": False, "error_message": False, **self._summary_of(data)}
            self._validate_received(data, vals, [])
            record._oms_write(vals)
        retried.filtered(lambda record: record.state == "new")._import()
        return True
