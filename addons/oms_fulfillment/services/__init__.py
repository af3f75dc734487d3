"""Fulfilment algorithms in plain Python (no Odoo import), tested and benchmarked without a database: the Odoo models
gather their data into the dataclasses these modules take, call them, and store what they return.

- ``packing``: which standard boxes a shipment's items go in (3D bin packing with rotations), or why not.
"""
