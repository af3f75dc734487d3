#!/usr/bin/env bash
# Developer helpers on the same set-up as the README's commands:
#   scripts/dev.sh install DB [--without-demo]   fresh database DB with the OMS addons
#   scripts/dev.sh odoo ARGS...                  odoo-bin with the project's configuration
#   scripts/dev.sh shell DB                      odoo shell on DB
#   scripts/dev.sh pytest ARGS...                pytest-odoo on the test database (see scripts/test.sh)
# OMS_DEV_HTTP_PORT (default 8269) sets the HTTP port, so that two checkouts can run HTTP tests at once.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_all
write_odoo_conf odoo-dev "${OMS_DEV_HTTP_PORT:-8269}"
command=${1:?usage: scripts/dev.sh install|odoo|shell|pytest ...}
shift
case "$command" in
    install)
        db=${1:?database name}
        shift
        demo=()
        [ "${1:-}" = --without-demo ] && demo=(--without-demo=all)
        dropdb -w --if-exists "$db"
        odoo_bin -c "$ODOO_CONF" -d "$db" -i "$OMS_ADDONS" "${demo[@]}" --stop-after-init --log-level=warn
        ;;
    odoo) odoo_bin -c "$ODOO_CONF" "$@" ;;
    shell) odoo_bin shell -c "$ODOO_CONF" -d "${1:?database name}" --log-level=warn ;;
    pytest) cd "$PROJECT_DIR" && "$VENV_PY" -m pytest --odoo-config="$ODOO_CONF" --odoo-database="${OMS_TEST_DB:-oms_test}" "$@" ;;
    *) die "unknown command $command" ;;
esac
