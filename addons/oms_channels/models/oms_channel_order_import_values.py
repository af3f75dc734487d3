from collections import defaultdict

from odoo import api, fields, models
from odoo.tools.misc import format_amount

from ..services.import_money import OdooTax, TaxRule, TaxTable
from ..services.import_plan_money import MoneyLookups
from .oms_channel_order_update import ChannelImportError


class OmsChannelOrderImportValues(models.Model):
    """The platform's values of an imported order (services/import_money.py, import_plan_money.py): the Odoo
    taxes of its lines, shipping, fees and discounts, its discount amounts to the cent, its fee and order discount
    lines, what the sale order keeps of it, and the check that the sale order's total is the platform's."""

    _inherit = "oms.channel.order"

    error_category = fields.Selection(
        selection_add=[("unknown_tax", "Tax without Odoo tax"), ("total_mismatch", "Total differs from channel's")]
    )

    # --- look-ups, once per batch -------------------------------------------------------------------------------

    @api.model
    def _lookups(self, channel, orders):
        lookups = super()._lookups(channel, orders)
        currencies = {order.currency for order in orders} | {order.shop_currency for order in orders} - {None}
        lookups.money = self._money_lookups(channel, currencies)
        return lookups

    @api.model
    def _money_lookups(self, channel, currency_codes):
        company = channel.company_id
        taxes = (
            self.env["account.tax"]
            .with_company(company)
            .search(
                [
                    *self.env["account.tax"]._check_company_domain(company),
                    ("type_tax_use", "=", "sale"),
                    ("amount_type", "=", "percent"),
                ],
                order="sequence, id",
            )
        )
        rules = tuple(
            TaxRule(tax_id=row.tax_id.id, name=row.name or None, rate=row.rate if row.rate or not row.name else None)
            for row in channel.tax_map_ids
        )
        sale_taxes = tuple(
            OdooTax(
                id=tax.id,
                name=tax.name,
                rate=tax.amount,
                price_include=tax.price_include,
                group_id=tax.tax_group_id.id or None,
            )
            for tax in taxes
        )
        currencies = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search_fetch([("name", "in", list(currency_codes))], ["name", "rounding"])
        )
        return MoneyLookups(
            tax_table=TaxTable(
                rules=rules,
                sale_taxes=sale_taxes,
                include_by_default=company.account_price_include == "tax_included",
            ),
            service_products=channel._service_products(),
            price_digits=self.env["decimal.precision"].precision_get("Product Price"),
            currency_rounding={currency.name: currency.rounding for currency in currencies},
            currency_ids={currency.name: currency.id for currency in currencies},
        )

    # --- sale order values --------------------------------------------------------------------------------------

    @api.model
    def _product_line_vals(self, line):
        vals = {
            "product_id": line.product_id,
            "product_uom_qty": line.quantity,
            "price_unit": line.unit_price,
            "discount": line.discount,
            "oms_channel_line_ref": line.external_line_id or False,
        }
        if line.tax_ids is not None:
            vals["tax_id"] = [fields.Command.set(list(line.tax_ids))]
        return vals

    @api.model
    def _extra_line_vals(self, line):
        """A fee, gift wrap, cash-on-delivery or order discount line, named as the platform names it."""
        vals = {"product_id": line.product_id, "product_uom_qty": 1, "price_unit": line.unit_price}
        if line.name:
            vals["name"] = line.name
        if line.tax_ids is not None:
            vals["tax_id"] = [fields.Command.set(list(line.tax_ids))]
        return vals

    @api.model
    def _channel_values(self, values):
        if values is None:
            return {}
        return {
            "oms_platform_reference": values.reference or False,
            "oms_platform_status": values.platform_status or False,
            "oms_prices_include_tax": values.prices_include_tax,
            "oms_coupon_codes": ", ".join(values.coupon_codes) or False,
            "oms_gift_message": values.gift_message or False,
            "oms_channel_grand_total": values.grand_total or 0.0,
            "oms_shop_currency_id": values.shop_currency_id or False,
            "oms_shop_grand_total": values.shop_grand_total or 0.0,
        }

    def _add_delivery_lines(self, orders, plans):
        """The shipping lines of these new orders, as Odoo's set_delivery_line makes them, with the platform's
        taxes and discount, created at once."""
        carriers = self.env["delivery.carrier"]
        by_carrier = defaultdict(lambda: self.env["sale.order"])
        vals_list = []
        for order, plan in zip(orders, plans, strict=True):
            shipping = plan.shipping
            if not shipping:
                continue
            carrier = carriers.browse(shipping.carrier_id)
            by_carrier[carrier] |= order
            vals = order._prepare_delivery_line_vals(carrier, shipping.price)
            vals["discount"] = shipping.discount
            if shipping.tax_ids is not None:
                vals["tax_id"] = [fields.Command.set(list(shipping.tax_ids))]
            if shipping.discount_noted:
                vals["name"] = f"{vals['name']}\n{self._discount_note(shipping.discount_noted, order.currency_id)}"
            vals_list.append(vals)
        for carrier, carrier_orders in by_carrier.items():
            carrier_orders.carrier_id = carrier
        # As Odoo's _create_delivery_line: a salesperson may add a carrier line without the right to write lines.
        self.env["sale.order.line"].sudo().create(vals_list)

    def _note_discounts_in_prices(self, orders, plans):
        """A line whose discount is partly in its unit price says so, with the platform's discount amount."""
        for order, plan in zip(orders, plans, strict=True):
            if not any(line.discount_noted for line in plan.lines):
                continue
            product_lines = order.order_line.sorted(lambda line: (line.sequence, line.id))[: len(plan.lines)]
            for line, line_plan in zip(product_lines, plan.lines, strict=True):
                if line_plan.discount_noted:
                    line.name = f"{line.name}\n{self._discount_note(line_plan.discount_noted, order.currency_id)}"

    def _discount_note(self, amount, currency):
        amount = format_amount(self.env, amount, currency)
        return self.env._("Channel discount of %(amount)s, included in the unit price", amount=amount)

    def _check_grand_totals(self, orders, plans):
        """Raise for the first order whose total is not the channel's grand total to the currency's rounding:
        nothing is confirmed with an amount the customer did not pay."""
        for order, plan in zip(orders, plans, strict=True):
            grand_total = plan.values.grand_total if plan.values else None
            if grand_total is None or not order.currency_id.compare_amounts(order.amount_total, grand_total):
                continue
            currency = order.currency_id
            raise ChannelImportError(
                "total_mismatch",
                self.env._(
                    "The sale order would total %(total)s, but the channel's grand total is %(grand_total)s "
                    "(difference %(difference)s): it was not imported, nor confirmed. Check the channel's Taxes "
                    "(rates, included in price or not) and the products' taxes, then retry.",
                    total=self._amount_text(order.amount_total, currency),
                    grand_total=self._amount_text(grand_total, currency),
                    difference=self._amount_text(order.amount_total - grand_total, currency),
                ),
            )

    @api.model
    def _amount_text(self, amount, currency):
        """An amount as an error message shows it, plain text: 62.73 EUR, -0.05 EUR."""
        return f"{currency.round(amount):.{currency.decimal_places}f} {currency.name}"

    # --- errors -------------------------------------------------------------------------------------------------

    def _plan_error_message(self, error):
        params = error.params
        if error.reason in ("unknown_tax", "no_twin"):
            return self._tax_error_message(error.reason, params)
        if error.reason == "no_service_product":
            return self.env._(
                "%(path)s: channel %(channel)s has no service product for its %(kind)s lines: set one on the "
                "channel's Taxes & Fees tab",
                path=params["path"],
                channel=self.channel_id.name,
                kind=params["kind"],
            )
        return super()._plan_error_message(error)

    def _tax_error_message(self, reason, params):
        basis = self.env._("included in price") if params["include"] else self.env._("excluded from price")
        rate = format(params["rate"], "g")
        if reason == "no_twin":
            return self.env._(
                "%(path)s: tax %(tax)s (%(rate)s%%) is mapped on channel %(channel)s to %(odoo_tax)s, which is not "
                "%(basis)s as this order's prices are, and company %(company)s has no sale tax of that rate %(basis)s:"
                " add one, or change the row in the channel's Taxes",
                path=params["path"],
                tax=params["tax"],
                rate=rate,
                channel=self.channel_id.name,
                odoo_tax=params["odoo_tax"],
                basis=basis,
                company=self.channel_id.company_id.name,
            )
        return self.env._(
            "%(path)s: tax %(tax)s (%(rate)s%%) of channel %(channel)s has no Odoo tax: add it to the channel's "
            "Taxes, or add a sale tax of %(rate)s%% %(basis)s to company %(company)s",
            path=params["path"],
            tax=params["tax"],
            rate=rate,
            channel=self.channel_id.name,
            basis=basis,
            company=self.channel_id.company_id.name,
        )
