"""Database defaults for the required columns the OMS adds to Odoo's tables."""

from odoo.tools import SQL


def keep_column_defaults(model, field_names):
    """Give the columns of these required fields of ``model`` their field's default in the database too.

    A required field is NOT NULL in the table, but only the ORM knows its default. Code that runs while the OMS
    addons are not loaded in the registry yet inserts rows without these columns: Odoo's own at-install tests of a
    module updated on a database where the OMS is installed (``-u stock --test-tags /stock``), which create
    companies, warehouses (and so operation types) and reorder rules. With a database default, those rows get the
    value the ORM would have given. Call it from ``_auto_init``, after ``super()``.
    """
    for name in field_names:
        value = model._fields[name].default(model)
        model.env.cr.execute(
            SQL(
                "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s",
                SQL.identifier(model._table),
                SQL.identifier(name),
                value,
            )
        )
