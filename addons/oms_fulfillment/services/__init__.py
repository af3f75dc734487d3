"""Picking methods, carrier clients and rate shopping in plain Python (no Odoo import), so they can be tested
without a database: the Odoo models turn transfers into the dataclasses these modules take, call them, and store what
they answer.

- ``picking``: how ready transfers are grouped for the pickers, and the walking order of a pick list.

- ``carrier``: the shipment a carrier is asked about, its answers (rate, label, tracking) and ``CarrierError``.
- ``carrier_rest``: client of a carrier's JSON API (requests).
- ``carrier_soap``: client of a carrier's SOAP web service (zeep).
- ``rate_shopping``: estimated arrival dates (cut-off, working days) and the choice of a quote by policy.
"""
