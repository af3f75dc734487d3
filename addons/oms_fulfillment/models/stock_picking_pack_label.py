from odoo import models

from .delivery_carrier import OMS_CARRIER_TYPES


class StockPicking(models.Model):
    """What the packing screen shows of a delivery's carrier: the label and papers to print, the tracking numbers,
    whether a label can be bought now, and the carrier's error with its Retry."""

    _inherit = "stock.picking"

    def _oms_pack_shipping(self):
        """The packing screen's carrier panel of this delivery, or None when it has no carrier."""
        self.ensure_one()
        carrier = self.carrier_id
        if not carrier or self.picking_type_code != "outgoing":
            return None
        numbers = self._oms_tracking_number_list()
        label, papers = self._oms_label_attachments(numbers)
        oms_carrier = carrier.delivery_type in OMS_CARRIER_TYPES
        # Carriers of several parcels tracked apart give Odoo's JSON list of [number, page]: the first parcel's.
        pages = self.get_multiple_carrier_tracking() if numbers else False
        if isinstance(pages, list):
            tracking_url = next((str(page[1]) for page in pages if isinstance(page, list) and len(page) == 2), "")
        else:
            tracking_url = (self.carrier_tracking_url or "") if numbers else ""
        return {
            "carrier": carrier.display_name,
            "tracking_numbers": numbers,
            "tracking_url": tracking_url if tracking_url.startswith(("https://", "http://")) else "",
            "label": self._oms_document_link(label, self.env._("Print Label")) if label else None,
            "papers": [self._oms_document_link(paper, self._oms_paper_title(paper)) for paper in papers],
            "can_buy_label": bool(oms_carrier and not self.oms_carrier_error and self._oms_needs_label()),
            "error": (self.oms_carrier_error or "") if oms_carrier else "",
            "retry_validates": bool(self.oms_carrier_error_on_validate),
        }

    def _oms_tracking_number_list(self):
        return [number.strip() for number in (self.carrier_tracking_ref or "").split(",") if number.strip()]

    def _oms_label_attachments(self, numbers):
        """(label, papers) of the delivery's current label: the attachments named after one of its tracking numbers
        (a label cancelled at the carrier stays attached under its own number). A carrier naming its label otherwise
        gets its newest label and every paper."""
        if not numbers:
            return self.env["ir.attachment"], self.env["ir.attachment"]
        label_prefix = f"{self.carrier_id._get_delivery_label_prefix()}-"
        paper_prefix = f"{self.carrier_id._get_delivery_doc_prefix()}-"
        # Read with the packer's rights: /web/content checks them again when the PDF is opened.
        attachments = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "stock.picking"),
                ("res_id", "=", self.id),
                "|",
                ("name", "=like", f"{label_prefix}%"),
                ("name", "=like", f"{paper_prefix}%"),
            ],
            order="id desc",
        )
        labels = attachments.filtered(lambda a: a.name.startswith(label_prefix))
        papers = attachments - labels
        current = labels.filtered(lambda a: a.name.removeprefix(label_prefix).rsplit(".", 1)[0] in numbers)
        if not current:
            return labels[:1], papers.sorted("id")
        current_papers = papers.filtered(
            lambda a: any(a.name.startswith(f"{paper_prefix}{number}-") for number in numbers)
        )
        return current[:1], current_papers.sorted("id")

    def _oms_paper_title(self, attachment):
        """A carrier's paper by what it is (``ShippingDoc-<type>-<number>-commercial_invoice.pdf``)."""
        stem = attachment.name.rsplit(".", 1)[0].rsplit("-", 1)[-1]
        titles = {
            "commercial_invoice": self.env._("Commercial Invoice"),
            "waybill": self.env._("Waybill"),
            "receipt": self.env._("Receipt"),
        }
        return titles.get(stem) or stem.replace("_", " ").capitalize()

    @staticmethod
    def _oms_document_link(attachment, title):
        return {"id": attachment.id, "name": attachment.name, "title": title, "url": f"/web/content/{attachment.id}"}
