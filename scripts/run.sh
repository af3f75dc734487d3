#!/usr/bin/env bash
# README "run": Odoo with the OMS addons and demo data on http://localhost:8069 (database oms_demo, admin / admin).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_all
DB=${OMS_DB:-oms_demo}
PORT=${OMS_HTTP_PORT:-8069}
# OMS_HTTP_INTERFACE, when set (even empty: all interfaces), replaces odoo.conf's http_interface.
write_odoo_conf odoo-run "$PORT" ${OMS_HTTP_INTERFACE+"$OMS_HTTP_INTERFACE"}
if db_exists "$DB"; then
    say "upgrading $OMS_ADDONS in the existing database $DB"
    odoo_bin -c "$ODOO_CONF" -d "$DB" -u "$OMS_ADDONS" --stop-after-init --log-level=warn
else
    say "creating the database $DB with $OMS_ADDONS and demo data (a few minutes)"
    odoo_bin -c "$ODOO_CONF" -d "$DB" -i "$OMS_ADDONS" --load-language=es_ES --stop-after-init --log-level=warn
    # Spanish becomes the database's language (the demo company is Spanish); the admin keeps working in English,
    # which loading Spanish at creation leaves inactive.
    echo "env['res.lang']._activate_lang('en_US'); env.ref('base.user_admin').lang = 'en_US'; env.cr.commit()" |
        odoo_bin shell -c "$ODOO_CONF" -d "$DB" --log-level=warn >/dev/null
fi
warn_if_exposed "$ODOO_CONF"
say "serving Odoo on http://localhost:$PORT (database $DB, login admin / admin); Ctrl+C stops it"
exec "$VENV_PY" -m odoo -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$"
