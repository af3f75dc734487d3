"""The OMS addons install and uninstall cleanly, with and without demo data.

These run Odoo in subprocesses on databases of their own, next to the test database that pytest-odoo holds.
"""

import os
import subprocess
import sys
import uuid

import psycopg2
import pytest

from odoo.tools import config

OMS_ADDONS = ("oms_intelligent", "oms_channels", "oms_fulfillment")
UNINSTALL_SCRIPT = f"""
modules = env["ir.module.module"].search([("name", "in", {list(OMS_ADDONS)!r})])
modules.button_immediate_uninstall()
env.cr.commit()
"""


def _odoo(*args, stdin=None):
    result = subprocess.run(
        [sys.executable, "-m", "odoo", *args, "-c", config.rcfile, "--log-level=warn", "--http-port=0"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output and " ERROR " not in output, output
    return output


def _connect(dbname):
    return psycopg2.connect(
        dbname=dbname,
        host=config["db_host"] or None,
        port=config["db_port"] or None,
        user=config["db_user"] or None,
        password=config["db_password"] or None,
    )


def _fetch(dbname, query, params=()):
    with _connect(dbname) as conn, conn.cursor() as cr:
        cr.execute(query, params)
        return cr.fetchall()


def _admin_dsn_command(sql):
    conn = _connect("postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(sql)
    conn.close()


def _oms_state(dbname):
    return dict(_fetch(dbname, "SELECT name, state FROM ir_module_module WHERE name IN %s", (OMS_ADDONS,)))


def _assert_uninstalled_cleanly(dbname):
    assert set(_oms_state(dbname).values()) == {"uninstalled"}
    leftovers = _fetch(
        dbname,
        "SELECT module, model, name FROM ir_model_data WHERE module IN %s AND model != 'ir.module.module'",
        (OMS_ADDONS,),
    )
    assert leftovers == [], f"records left behind by the OMS addons: {leftovers}"
    columns = _fetch(
        dbname,
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'product_template'"
        " AND column_name IN ('product_length', 'product_width', 'product_height')",
    )
    assert columns == [], "product dimension columns are still in the database"
    # Odoo itself still works: its own apps are installed and a product can be read.
    assert _fetch(dbname, "SELECT state FROM ir_module_module WHERE name = 'sale_stock'") == [("installed",)]


@pytest.fixture
def scratch_db():
    name = f"oms_scratch_{uuid.uuid4().hex[:8]}"
    yield name
    _admin_dsn_command(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_addons_install_and_uninstall_without_demo_data(scratch_db):
    _odoo("-d", scratch_db, "-i", ",".join(OMS_ADDONS), "--without-demo=all", "--stop-after-init")
    assert _oms_state(scratch_db) == dict.fromkeys(OMS_ADDONS, "installed")
    assert _fetch(scratch_db, "SELECT count(*) FROM res_company WHERE name = 'OMS Iberia S.L.'") == [(0,)]
    _odoo("shell", "-d", scratch_db, stdin=UNINSTALL_SCRIPT)
    _assert_uninstalled_cleanly(scratch_db)


def test_addons_installed_with_demo_data_uninstall_cleanly():
    """scripts/test.sh installs the test database with demo data and hands a copy of it over here."""
    dbname = os.environ.get("OMS_UNINSTALL_DB")
    if not dbname:
        pytest.fail("OMS_UNINSTALL_DB is not set: run this test through scripts/test.sh")
    rows = _fetch(dbname, "SELECT name, state, demo FROM ir_module_module WHERE name IN %s", (OMS_ADDONS,))
    assert sorted(rows) == sorted((name, "installed", True) for name in OMS_ADDONS)
    _odoo("shell", "-d", dbname, stdin=UNINSTALL_SCRIPT)
    _assert_uninstalled_cleanly(dbname)
