from odoo import fields, models


class OmsChannelCarrier(models.Model):
    """A channel's shipping method (as it names it in orders) and the carrier that ships it."""

    _name = "oms.channel.carrier"
    _description = "Channel Shipping Method"
    _order = "channel_id, method"

    channel_id = fields.Many2one("oms.channel", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="channel_id.company_id", store=True)
    method = fields.Char("Channel Method", required=True, help="The method code the channel sends, e.g. express.")
    carrier_id = fields.Many2one("delivery.carrier", required=True, ondelete="restrict")

    _sql_constraints = [
        ("method_uniq", "unique(channel_id, method)", "This shipping method is already mapped on this channel."),
    ]
