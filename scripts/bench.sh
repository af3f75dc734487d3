#!/usr/bin/env bash
# Benchmarks: a fresh database (oms_bench, or OMS_BENCH_DB) with the OMS addons and no demo data, then each
# bench/<name>.py run with the venv python, each printing its figures against plain Odoo measured in the same run.
#   scripts/bench.sh                          every bench/*.py
#   scripts/bench.sh intake                   bench/intake.py only
#   scripts/bench.sh intake -- --orders 100   arguments after -- go to every benchmark run
# Non-zero exit when the install or any benchmark fails.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

names=()
while [ $# -gt 0 ]; do
    case "$1" in
        --) shift; break ;;
        -*) die "unknown option $1 (usage: scripts/bench.sh [NAME...] [-- BENCH-ARGS...])" ;;
        *) names+=("${1%.py}"); shift ;;
    esac
done
cd "$PROJECT_DIR"
if [ ${#names[@]} = 0 ]; then
    for file in bench/*.py; do
        [ -e "$file" ] && names+=("$(basename "$file" .py)")
    done
    [ ${#names[@]} -gt 0 ] || die "no benchmark in bench/"
fi
for name in "${names[@]}"; do
    [ -f "bench/$name.py" ] || die "no benchmark bench/$name.py"
done

setup_all
DB=${OMS_BENCH_DB:-oms_bench}
write_odoo_conf odoo-bench "${OMS_BENCH_HTTP_PORT:-8369}"
install_log=$LOCAL_DIR/bench-install.log

say "creating the benchmark database $DB with $OMS_ADDONS and no demo data"
dropdb -w --if-exists "$DB"
odoo_bin -c "$ODOO_CONF" -d "$DB" -i "$OMS_ADDONS" --without-demo=all --stop-after-init --log-level=warn 2>&1 |
    tee "$install_log"
[ "${PIPESTATUS[0]}" = 0 ] || die "installing $OMS_ADDONS failed (see above)"
! grep -E "ERROR|failed to install|Traceback" "$install_log" || die "installing $OMS_ADDONS logged errors (see above)"

failed=()
for name in "${names[@]}"; do
    say "benchmark $name"
    "$VENV_PY" "bench/$name.py" --config "$ODOO_CONF" --database "$DB" "$@" || failed+=("$name")
done
[ ${#failed[@]} = 0 ] || die "benchmark(s) failed: ${failed[*]}"
say "benchmarks done"
