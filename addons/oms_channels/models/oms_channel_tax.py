from odoo import fields, models


class OmsChannelTax(models.Model):
    """A row of a channel's Taxes table: a tax as the platform names or rates it on its orders, and the sale tax
    of the channel's company it becomes (see services/import_money.py for the order in which rows are read and
    how a tax on the other price basis is replaced by its twin)."""

    _name = "oms.channel.tax"
    _description = "Channel Tax"
    _order = "channel_id, name, rate, id"
    _check_company_auto = True

    channel_id = fields.Many2one("oms.channel", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="channel_id.company_id", store=True)
    name = fields.Char(
        "Platform Tax Name", help="The tax's title on the platform's orders (e.g. IVA 21%); empty: any tax of the rate."
    )
    rate = fields.Float(
        "Platform Rate (%)",
        digits=(16, 4),
        help="The platform's rate. With a name: only that name at that rate, or at any rate when 0. Without a "
        "name: every tax of this rate (0: the 0% rate).",
    )
    tax_id = fields.Many2one(
        "account.tax",
        "Odoo Tax",
        required=True,
        ondelete="restrict",
        check_company=True,
        domain="[('type_tax_use', '=', 'sale'), ('amount_type', '=', 'percent')]",
        help="The sale tax it becomes. When the order's prices are on the other basis (tax included or excluded), "
        "the company's sale tax of the same rate and group on the order's basis is used instead.",
    )
