from odoo import fields, models

from ..services.picking import NO_ZONE, Location


class StockLocation(models.Model):
    _inherit = "stock.location"

    oms_zone_id = fields.Many2one(
        "oms.pick.zone",
        string="Picking Zone",
        index="btree_not_null",
        help="The zone of this location and of its sublocations that have none of their own.",
    )

    def _oms_zones(self):
        """{location id: zone} for these locations, each taking the zone of its nearest ancestor that has one
        (one query for the ancestors, whatever the depth)."""
        ancestor_ids = {int(part) for location in self for part in location.parent_path.split("/") if part}
        ancestors = self.browse(ancestor_ids)
        ancestors.fetch(["oms_zone_id"])
        zones = {}
        for location in self:
            chain = [int(part) for part in location.parent_path.split("/") if part]
            zone = self.env["oms.pick.zone"]
            for location_id in reversed(chain):
                zone = self.browse(location_id).oms_zone_id
                if zone:
                    break
            zones[location.id] = zone
        return zones

    def _oms_locations(self):
        """{location id: the release service's Location} for these locations, zone included."""
        zones = self._oms_zones()
        return {
            location.id: Location(
                location_id=location.id,
                name=location.complete_name,
                zone_id=zones[location.id].id or NO_ZONE,
                zone_sequence=zones[location.id].sequence,
                posx=location.posx,
                posy=location.posy,
                posz=location.posz,
            )
            for location in self
        }
