from markupsafe import escape

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount, format_date

from ..services.carrier import CarrierError, user_text
from ..services.rate_shopping import Quote, choose
from .delivery_carrier import OMS_CARRIER_TYPES


class StockPicking(models.Model):
    """Rate shopping: every eligible carrier is asked for a rate and a transit time, and the delivery gets the
    carrier its warehouse's (else company's) policy chooses, with the reason."""

    _inherit = "stock.picking"

    oms_carrier_quote_ids = fields.One2many("oms.carrier.quote", "picking_id", string="Carrier Quotes")
    oms_carrier_choice = fields.Text(
        "Carrier Choice", copy=False, readonly=True, help="Why rate shopping chose the carrier of this delivery."
    )

    def action_oms_shop_rates(self):
        pickings = self.filtered(lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel"))
        if not pickings:
            raise UserError(self.env._("Rates are shopped for deliveries to customers that are not done yet."))
        choices = pickings._oms_shop_rates()
        without = [picking.name for picking, choice in choices.items() if not choice.quote]
        message = (
            self.env._("Rates shopped for %s deliveries.", len(choices))
            if len(choices) > 1
            else pickings.oms_carrier_choice
        )
        if without:
            message = self.env._(
                "%(message)s No carrier gave a rate for: %(pickings)s.", message=message, pickings=", ".join(without)
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if without else "success",
                "title": self.env._("Carrier Rates"),
                "message": message,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _oms_shop_rates(self):
        """Ask every eligible carrier of each delivery's company for a rate and a transit time, keep the quotes,
        and give each delivery the carrier its policy chooses. Carriers, currencies, order lines and the
        warehouses' calendars are read once for all the deliveries; a SOAP carrier's WSDL is loaded once, and a
        carrier that did not answer is not asked again in the same run."""
        session = self._oms_rate_session()
        carriers = self.env["delivery.carrier"].search(
            [("oms_rate_shopping", "=", True), ("company_id", "in", self.company_id.ids)]
        )
        # What the carriers look at, read for every delivery at once rather than delivery by delivery.
        self.move_ids.sale_line_id.read(["price_reduce_taxinc", "price_reduce_taxexcl"])
        self.oms_carrier_quote_ids.unlink()
        handovers = self._oms_handovers(dict.fromkeys(self, fields.Datetime.now()))
        quote_values, choices = [], {}
        for picking in self:
            choice, values = picking._oms_choose_carrier(
                carriers.filtered(lambda c, picking=picking: c.company_id == picking.company_id),
                session,
                handovers[picking],
            )
            choices[picking] = choice
            quote_values += values
        self.env["oms.carrier.quote"].create(quote_values)
        self._oms_keep_choices(choices)
        return choices

    def _oms_rate_session(self):
        """What the deliveries of one rate shopping run share: today, the currencies by code, the carriers'
        clients, their rates by parcels and route, and the carriers that did not answer."""
        return {
            "today": fields.Date.context_today(self),
            "currencies": {
                currency.name: currency
                for currency in self.env["res.currency"].with_context(active_test=False).search([])
            },
            "clients": {},
            "rates": {},
            "unreachable": {},
        }

    def _oms_choose_carrier(self, carriers, session, handover):
        """The policy's choice among the quotes of ``carriers`` serving this delivery handed over at ``handover``,
        and the values of the oms.carrier.quote of each."""
        self.ensure_one()
        quotes, values_by_key = [], {}
        for carrier in carriers:
            if carrier._oms_matches_picking(self):
                quote, values = self._oms_ask_carrier(carrier, session, handover)
                quotes.append(quote)
                values_by_key[carrier.id] = values
        warehouse = self.picking_type_id.warehouse_id
        policy = warehouse._oms_carrier_policy() if warehouse else self.company_id.oms_carrier_policy
        choice = choose(quotes, policy, self._oms_promised_date())
        if choice.quote:
            values_by_key[choice.quote.key]["chosen"] = True
        return choice, list(values_by_key.values())

    def _oms_ask_carrier(self, carrier, session, handover):
        """One carrier's quote for this delivery handed over at ``handover``: (the Quote the policy compares, the
        values of its oms.carrier.quote). ``session`` holds what the deliveries of one run share."""
        self.ensure_one()
        values = {"picking_id": self.id, "carrier_id": carrier.id, "ship_date": handover.ship_date}
        if carrier.id in session["unreachable"]:
            # It did not answer for an earlier delivery: the other deliveries do not wait for it again.
            message = self.env._(
                "Not asked: the carrier did not answer for %(picking)s (%(error)s).",
                **session["unreachable"][carrier.id],
            )
            values["error_message"] = message
            return Quote(carrier.id, carrier.name, None, None, error=message), values
        try:
            client = None
            if carrier.delivery_type in OMS_CARRIER_TYPES:
                clients = session["clients"]
                client = clients.get(carrier.id) or clients.setdefault(carrier.id, carrier._oms_client())
            price, currency, transit, service = carrier._oms_quote_picking(
                self, client, session["currencies"], session["rates"]
            )
        except (CarrierError, UserError, ValidationError) as error:
            message = user_text(error, self.env._)
            if isinstance(error, CarrierError) and error.unreachable:
                session["unreachable"][carrier.id] = {"picking": self.name, "error": message}
            values["error_message"] = message
            return Quote(carrier.id, carrier.name, None, None, error=message), values
        company = self.company_id
        price_company = currency._convert(price, company.currency_id, company, session["today"])
        eta = handover.eta(transit)
        values.update(
            currency_id=currency.id,
            price=price,
            price_company=price_company,
            transit_days=transit,
            eta=eta,
            service_code=service,
        )
        return Quote(carrier.id, carrier.name, price_company, transit, eta=eta), values

    def _oms_chosen_service(self, carrier):
        """The service to book with ``carrier``: the one set on the carrier, else the one its quote for this
        delivery priced when its rates were shopped, else the carrier's default."""
        self.ensure_one()
        if carrier.oms_service_code:
            return carrier.oms_service_code
        quotes = self.sudo().oms_carrier_quote_ids.filtered(lambda q: q.carrier_id == carrier and q.service_code)
        return (quotes.filtered("chosen") or quotes)[:1].service_code or ""

    def _oms_keep_choices(self, choices):
        """Each delivery gets the chosen carrier and the reason, in its field and in its chatter."""
        bodies = {picking.id: picking._oms_explain(choice) for picking, choice in choices.items()}
        for picking, choice in choices.items():
            values = {"oms_carrier_choice": bodies[picking.id]}
            if choice.quote:
                values["carrier_id"] = choice.quote.key
            picking.write(values)
        self._message_log_batch(
            bodies={
                picking_id: escape(self.env._("Carrier rates shopped: %s", body)) for picking_id, body in bodies.items()
            }
        )

    def _oms_explain(self, choice):
        self.ensure_one()
        company = self.company_id
        return choice.explain(
            self.env._,
            money=lambda quote: format_amount(self.env, quote.price, company.currency_id),
            day=lambda day: format_date(self.env, day),
        )
