"""Order routing and batch stock allocation in plain Python (no Odoo import), so they can be tested and benchmarked
without a database: the Odoo models gather warehouses, stock and orders into the dataclasses these modules take,
call them, and store the decisions they return.

- ``geo``: locations and haversine distances.
- ``routing``: which warehouse(s) ship each line of one order, with a score and a reason per warehouse.
- ``allocation``: which waiting orders get scarce stock, optimal (integer program) or greedy.
- ``forecast``: daily demand forecast and its error sigma for reorder points (smoothing, Holt-Winters, Croston).
- ``working_days``: a warehouse's working days (its calendar and public holidays) and the day a parcel leaves.
"""
