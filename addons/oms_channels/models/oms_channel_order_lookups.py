from odoo import api, models
from odoo.tools import SQL

from ..services.import_plan import ImportLookups, KnownAddress
from ..services.matching import customer_keys

# How a partner's e-mail, VAT and phone are normalized in SQL: the same as services.matching does for orders.
PARTNER_MATCH_KEYS = {
    "by_email": "email_normalized",
    "by_vat": "upper(regexp_replace(vat, '[^A-Za-z0-9]', '', 'g'))",
    "by_phone": "right(regexp_replace(phone, '[^0-9]', '', 'g'), 9)",
}


class OmsChannelOrderLookups(models.Model):
    """What the import plan needs from the database for a batch of parsed orders, read in a few queries for the
    whole batch (see :class:`..services.import_plan.ImportLookups`)."""

    _inherit = "oms.channel.order"

    @api.model
    def _lookups(self, channel, orders):
        customers = [order.customer for order in orders]
        lines = [line for order in orders for line in order.lines]
        addresses = [address for order in orders for address in (order.billing_address, order.shipping_address)]
        company_id = channel.company_id.id
        lookups = ImportLookups(
            orders_by_ref=self._existing_orders(channel, [order.external_id for order in orders]),
            **self._partner_lookups(customers, company_id),
            **self._product_lookups(channel, lines, (company_id, False)),
            **self._address_lookups(addresses),
            carriers={mapping.method: mapping.carrier_id.id for mapping in channel.carrier_map_ids},
            default_carrier_id=channel.default_carrier_id.id or None,
        )
        lookups.unit_rounding = self._unit_rounding(
            {*lookups.by_binding.values(), *lookups.by_sku.values(), *lookups.by_barcode.values()}
        )
        partner_ids = {*lookups.by_email.values(), *lookups.by_vat.values(), *lookups.by_phone.values()}
        lookups.partner_names, lookups.addresses = self._partner_addresses(partner_ids)
        lookups.channel_pricelist, lookups.pricelists = self._pricelists(channel, {order.currency for order in orders})
        return lookups

    @api.model
    def _existing_orders(self, channel, refs):
        """Sale orders already made for these references (a manual entry, or an import outside staging)."""
        orders = self.env["sale.order"].search_read(
            [("oms_channel_id", "=", channel.id), ("oms_channel_ref", "in", refs)], ["oms_channel_ref"]
        )
        return {order["oms_channel_ref"]: order["id"] for order in orders}

    @api.model
    def _partner_lookups(self, customers, company_id):
        """{"by_email"|"by_vat"|"by_phone": {normalized key: partner id}}: one query per key, for the whole batch,
        each comparing the same normalization in SQL as :mod:`..services.matching` applies to the orders."""
        wanted = {table: set() for table in PARTNER_MATCH_KEYS}
        for customer in customers:
            for how, key in customer_keys(customer):
                wanted[f"by_{how}"].add(key)
        lookups = {}
        for table, expression in PARTNER_MATCH_KEYS.items():
            lookups[table] = {}
            if wanted[table]:
                key = SQL(expression)
                self.env.cr.execute(
                    SQL(
                        "SELECT %s, min(id) FROM res_partner WHERE active"
                        " AND (company_id IS NULL OR company_id = %s) AND %s IN %s GROUP BY 1",
                        key,
                        company_id,
                        key,
                        tuple(wanted[table]),
                    )
                )
                lookups[table] = dict(self.env.cr.fetchall())
        return lookups

    @api.model
    def _product_lookups(self, channel, lines, company_ids):
        """{"by_binding"|"by_sku"|"by_barcode": {key: product id}} of these lines (or cart events)."""
        skus = {line.sku for line in lines if line.sku}
        barcodes = {line.barcode for line in lines if line.barcode}
        binding_keys = {line.channel_product_id for line in lines if line.channel_product_id} | skus
        by_binding = {}
        if binding_keys:
            for binding in self.env["oms.channel.product"].search_fetch(
                [
                    ("channel_id", "=", channel.id),
                    "|",
                    ("external_id", "in", list(binding_keys)),
                    ("external_sku", "in", list(binding_keys)),
                ],
                ["external_id", "external_sku", "product_id"],
            ):
                for key in (binding.external_id, binding.external_sku):
                    if key:
                        by_binding[key] = binding.product_id.id
        product_domain = [("sale_ok", "=", True), ("company_id", "in", company_ids)]
        by_sku = {}
        if skus:
            for product in self.env["product.product"].search_read(
                [*product_domain, ("default_code", "in", list(skus))], ["default_code"], order="id"
            ):
                by_sku.setdefault(product["default_code"], product["id"])
        by_barcode = {}
        if barcodes:
            for product in self.env["product.product"].search_read(
                [*product_domain, ("barcode", "in", list(barcodes))], ["barcode"], order="id"
            ):
                by_barcode.setdefault(product["barcode"], product["id"])
        return {"by_binding": by_binding, "by_sku": by_sku, "by_barcode": by_barcode}

    @api.model
    def _unit_rounding(self, product_ids):
        """{product id: rounding of its unit}; the products stay in the cache for the order lines."""
        return {product.id: product.uom_id.rounding for product in self.env["product.product"].browse(product_ids)}

    @api.model
    def _address_lookups(self, addresses):
        """{"countries": {ISO code: id}, "states": {country id: [(code, name, id)] by code}} of these addresses;
        the states only of the countries where an address names one."""
        codes = {address.country_code for address in addresses if address and address.country_code}
        if not codes:
            return {"countries": {}, "states": {}}
        countries = {
            country.code: country.id
            for country in self.env["res.country"].search_fetch([("code", "in", list(codes))], ["code"])
        }
        with_state = {countries.get(address.country_code) for address in addresses if address and address.state}
        states = {}
        if with_state - {None}:
            for state in self.env["res.country.state"].search_fetch(
                [("country_id", "in", list(with_state - {None}))], ["country_id", "code", "name"]
            ):
                states.setdefault(state.country_id.id, []).append((state.code, state.name, state.id))
        return {"countries": countries, "states": states}

    @api.model
    def _partner_addresses(self, partner_ids):
        """({partner id: name}, {partner id: [its own address, then its active contacts' and addresses']}) of
        the customers an order may match, in one query."""
        if not partner_ids:
            return {}, {}
        ids = list(partner_ids)
        # As the matching queries read them: without record rules, so that a matched customer always has its name.
        partners = (
            self.env["res.partner"]
            .sudo()
            .search_fetch(
                ["|", ("id", "in", ids), ("parent_id", "in", ids)], ["parent_id", "name", "street", "zip", "country_id"]
            )
        )
        names = {}
        own = {}
        children = {}
        for partner in partners:
            address = KnownAddress(
                partner=partner.id,
                street=partner.street or None,
                zip=partner.zip or None,
                country_id=partner.country_id.id or None,
            )
            if partner.id in partner_ids:
                names[partner.id] = partner.name
                own[partner.id] = address
            if partner.parent_id.id in partner_ids:
                children.setdefault(partner.parent_id.id, []).append(address)
        return names, {partner_id: [own[partner_id], *children.get(partner_id, [])] for partner_id in own}

    @api.model
    def _pricelists(self, channel, currencies):
        """((currency, id) of the channel's pricelist or None, {currency: the company's first pricelist in it}) for
        the currencies the channel's pricelist is not in."""
        pricelist = channel.pricelist_id
        channel_pricelist = (pricelist.currency_id.name, pricelist.id) if pricelist else None
        others = currencies - {channel_pricelist and channel_pricelist[0]}
        by_currency = {}
        if others:
            for other in self.env["product.pricelist"].search(
                [
                    ("currency_id.name", "in", list(others)),
                    ("currency_id.active", "=", True),
                    ("company_id", "in", (channel.company_id.id, False)),
                ]
            ):
                by_currency.setdefault(other.currency_id.name, other.id)
        return channel_pricelist, by_currency
