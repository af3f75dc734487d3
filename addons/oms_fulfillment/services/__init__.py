"""Fulfilment algorithms in plain Python (no Odoo import), tested and benchmarked without a database: the Odoo models
gather their data into the dataclasses these modules take, call them, and store what they return.

- ``picking``: how ready transfers are grouped for the pickers, and the walking order of a pick list.
- ``packing``: which standard boxes a shipment's items go in (3D bin packing with rotations), or why not.
- ``carrier``: the shipment a carrier is asked about, its answers (rate, label, tracking) and ``CarrierError``.
- ``carrier_rest``: client of a carrier's JSON API (requests).
- ``carrier_soap``: client of a carrier's SOAP web service (zeep).
- ``carrier_sendcloud``: client of Sendcloud's API v3 (rates, labels, tracking, cancellation); its documents and
  signed webhooks in ``carrier_sendcloud_data``, its return labels in ``carrier_sendcloud_returns``.
- ``rate_shopping``: estimated arrival dates (cut-off, working days) and the choice of a quote by policy.
"""
