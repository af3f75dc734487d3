"""The reorder benchmark's parts (bench/reorder.py runs them):

- ``data``: warehouses, products, vendors, the demand series drawn with a fixed seed, the forecast reorder points;
- ``history``: their demand history, returns, open orders and stock, written in SQL;
- ``recompute``: the OMS recomputation, instrumented and timed;
- ``report``: plain Odoo's replenishment, the checks and what is printed at the end.
"""
