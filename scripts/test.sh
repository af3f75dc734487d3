#!/usr/bin/env bash
# README "test": a fresh database with the OMS addons and demo data, then pytest-odoo over addons/*/tests and
# tests/ (with the HTTP server and headless Chromium for browser tests), then lint (ruff, pylint-odoo). Non-zero exit
# on any failure, and on any skipped test whose reason is not written down in tests/allowed_skips.txt.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_all
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null ||
    apt_install chromium
DB=${OMS_TEST_DB:-oms_test}
write_odoo_conf odoo-test "${OMS_TEST_HTTP_PORT:-8169}"
install_log=$LOCAL_DIR/test-install.log

say "creating the test database $DB with $OMS_ADDONS and demo data"
dropdb -w --if-exists "$DB"
dropdb -w --if-exists "${DB}_uninstall"
odoo_bin -c "$ODOO_CONF" -d "$DB" -i "$OMS_ADDONS" --stop-after-init --log-level=warn 2>&1 | tee "$install_log"
[ "${PIPESTATUS[0]}" = 0 ] || die "installing $OMS_ADDONS failed (see above)"
! grep -E "ERROR|failed to install|Traceback" "$install_log" || die "installing $OMS_ADDONS logged errors (see above)"
# A copy on which tests/test_install_uninstall.py uninstalls the addons, leaving the test database whole.
createdb -w -T "$DB" "${DB}_uninstall"
export OMS_UNINSTALL_DB=${DB}_uninstall

say "running the tests (pytest-odoo on $DB)"
cd "$PROJECT_DIR"
report=$LOCAL_DIR/pytest.log
set +e
"$VENV_PY" -m pytest -p no:cacheprovider -rs --odoo-config="$ODOO_CONF" --odoo-database="$DB" --odoo-http \
    addons/*/tests tests "$@" 2>&1 | tee "$report"
status=${PIPESTATUS[0]}
set -e
[ "$status" = 0 ] || die "tests failed (pytest exit $status)"
unexplained=$(grep -E "^SKIPPED" "$report" | grep -v -F -f <(grep -v '^#' tests/allowed_skips.txt | sed '/^$/d') || true)
[ -z "$unexplained" ] || die "tests were skipped without a reason in tests/allowed_skips.txt: $unexplained"

say "lint (ruff check, ruff format --check, pylint-odoo)"
"$VENV_DIR/bin/ruff" check addons tests bench scripts
"$VENV_DIR/bin/ruff" format --check addons tests bench
# The OCA linter's Odoo checks (.pylintrc); pylint exits non-zero on any message.
"$VENV_DIR/bin/pylint" --rcfile=.pylintrc --disable=consider-merging-classes-inherited addons
say "all tests passed"
