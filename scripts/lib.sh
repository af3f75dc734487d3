#!/usr/bin/env bash
# Set-up shared by the README's commands: find Odoo, build the virtualenv, make PostgreSQL available and
# write the Odoo configuration that points at both. Sourced by run.sh, test.sh and dev.sh.
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL_DIR=$PROJECT_DIR/.local      # ignored by git: venv stamp, cluster, filestore, generated configs, logs
VENV_DIR=${OMS_VENV:-$PROJECT_DIR/.venv}
OMS_ADDONS=oms_intelligent,oms_channels,oms_fulfillment

say() { echo "oms: $*" >&2; }
die() { echo "oms: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n "$@"
    else return 1
    fi
}

apt_install() {
    say "installing Debian packages: $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null ||
        die "cannot install $* (needs root or password-less sudo): install it and run again"
}

find_python() {
    local candidate
    for candidate in python3.11 python3.12 python3.10 python3; do
        if command -v "$candidate" >/dev/null &&
            "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' 2>/dev/null; then
            PYTHON=$(command -v "$candidate")
            return
        fi
    done
    die "Python 3.10 to 3.12 is needed by Odoo 18.0 and none was found: install python3.11 and run again"
}

# Odoo is an importable `odoo` package, or the tree at ODOO_PATH (default /opt/odoo) holding odoo-bin.
find_odoo() {
    local importable
    if [ -z "${ODOO_PATH:-}" ] &&
        importable=$("$PYTHON" -c 'import os, odoo.release as r; assert r.version_info[0] == 18; print(os.path.dirname(os.path.dirname(r.__file__)))' 2>/dev/null); then
        ODOO_PATH=$importable
    else
        ODOO_PATH=${ODOO_PATH:-/opt/odoo}
        [ -f "$ODOO_PATH/odoo/release.py" ] ||
            die "Odoo 18.0 not found at ${ODOO_PATH}: put an Odoo 18.0 Community tree (odoo-bin and odoo/, from github.com/odoo/odoo branch 18.0) there, or set ODOO_PATH to one"
        grep -q "^version_info = (18," "$ODOO_PATH/odoo/release.py" ||
            die "the Odoo at $ODOO_PATH is not 18.0: set ODOO_PATH to an Odoo 18.0 Community tree"
    fi
    # Source checkouts keep addons in addons/ and odoo/addons/; packaged trees only in odoo/addons/.
    ODOO_ADDONS_PATH=$PROJECT_DIR/addons
    local dir
    for dir in "$ODOO_PATH/addons" "$ODOO_PATH/odoo/addons"; do
        [ -d "$dir" ] && ODOO_ADDONS_PATH=$ODOO_ADDONS_PATH,$dir
    done
    export ODOO_PATH
}

ensure_venv() {
    local stamp=$VENV_DIR/.oms-requirements.sha256 wanted
    wanted=$(sha256sum "$PROJECT_DIR/requirements.txt" | cut -d' ' -f1)
    if [ ! -x "$VENV_DIR/bin/python" ]; then
        say "creating the virtualenv in $VENV_DIR"
        "$PYTHON" -m venv "$VENV_DIR" 2>/dev/null || {
            apt_install python3-venv
            "$PYTHON" -m venv "$VENV_DIR"
        }
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        command -v pg_config >/dev/null || apt_install libpq-dev
        say "installing Python dependencies (requirements.txt) into $VENV_DIR"
        "$VENV_DIR/bin/python" -m pip install -q --disable-pip-version-check -r "$PROJECT_DIR/requirements.txt" ||
            die "pip could not install requirements.txt (see the messages above)"
        echo "$wanted" > "$stamp"
    fi
    VENV_PY=$VENV_DIR/bin/python
    # Make the Odoo tree importable from the virtualenv (pytest-odoo imports `odoo`).
    local site
    site=$("$VENV_PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$ODOO_PATH" > "$site/oms-odoo-path.pth"
}

pg_bindir() {
    local dir
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    fi
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        apt_install postgresql
        dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    echo "$dir"
}

# A server named by PGHOST (and PGPORT, PGUSER, PGPASSWORD) is used when it answers; otherwise a cluster of the
# project's own under .local/ (or /tmp when the path is too long for a socket), reached by a Unix socket only.
ensure_postgres() {
    if [ -n "${PGHOST:-}" ]; then
        DB_HOST=$PGHOST DB_PORT=${PGPORT:-5432} DB_USER=${PGUSER:-$(id -un)} DB_PASSWORD=${PGPASSWORD:-False}
        psql -w -d postgres -tAc 'select 1' >/dev/null 2>&1 ||
            die "PostgreSQL at PGHOST=$PGHOST does not answer for user $DB_USER: fix PG* variables or unset PGHOST"
        [ "$DB_USER" != postgres ] || die "Odoo refuses the database user 'postgres': set PGUSER to another role"
        return
    fi
    local bindir pg_root owner run
    bindir=$(pg_bindir)
    pg_root=$LOCAL_DIR/postgres
    if [ ${#pg_root} -gt 80 ]; then
        pg_root=/tmp/oms-pg-$(echo "$PROJECT_DIR" | sha256sum | cut -c1-12)
    fi
    owner=$(id -un)
    run=()
    if [ "$(id -u)" = 0 ]; then
        # PostgreSQL refuses to run as root: the cluster belongs to the system's postgres account.
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
        owner=postgres
        run=(runuser -u postgres --)
        mkdir -p "$pg_root"
        chown postgres: "$pg_root"
        if ! runuser -u postgres -- test -w "$pg_root"; then
            pg_root=/tmp/oms-pg-$(echo "$PROJECT_DIR" | sha256sum | cut -c1-12)
            mkdir -p "$pg_root"
            chown postgres: "$pg_root"
        fi
    fi
    mkdir -p "$pg_root"
    DB_HOST=$pg_root DB_PORT=5432 DB_USER=oms DB_PASSWORD=False
    if [ ! -f "$pg_root/data/PG_VERSION" ]; then
        say "creating a PostgreSQL cluster in $pg_root/data"
        "${run[@]}" "$bindir/initdb" -D "$pg_root/data" -U oms --auth=trust -E UTF8 --locale=C.UTF-8 >"$pg_root/initdb.log" 2>&1 ||
            die "initdb failed: see $pg_root/initdb.log"
    fi
    if ! "${run[@]}" "$bindir/pg_ctl" -D "$pg_root/data" status >/dev/null 2>&1; then
        say "starting PostgreSQL ($bindir) on socket $pg_root"
        "${run[@]}" "$bindir/pg_ctl" -D "$pg_root/data" -l "$pg_root/server.log" -w -t 60 \
            -o "-k $pg_root -c listen_addresses='' -p 5432 -c max_connections=200 -c fsync=off" start >/dev/null ||
            die "PostgreSQL did not start: see $pg_root/server.log"
    fi
    export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER
    : "$owner"
}

# Writes .local/<name>.conf: the project's odoo.conf plus the addons path and database of this machine, and
# http_interface when a third argument is given (even empty: all interfaces).
write_odoo_conf() {
    local name=$1 http_port=$2
    ODOO_CONF=$LOCAL_DIR/$name.conf
    "$VENV_PY" - "$PROJECT_DIR/odoo.conf" "$ODOO_CONF" "${@:3:1}" <<PY
import configparser, sys
config = configparser.ConfigParser(interpolation=None)
config.read(sys.argv[1])
config["options"].update({
    "addons_path": "$ODOO_ADDONS_PATH",
    "data_dir": "$LOCAL_DIR/filestore",
    "db_host": "$DB_HOST",
    "db_port": "$DB_PORT",
    "db_user": "$DB_USER",
    "db_password": "$DB_PASSWORD",
    "http_port": "$http_port",
})
if len(sys.argv) > 3:
    config["options"]["http_interface"] = sys.argv[3]
with open(sys.argv[2], "w") as out:
    config.write(out)
PY
}

# One warning line when the configuration CONF listens beyond this machine (http_interface not a loopback
# address; empty or False means all interfaces) and keeps the demo's master password (admin_passwd = admin, also
# Odoo's default) or the database list (list_db, on unless False). Read as Odoo reads it; never stops the caller.
warn_if_exposed() {
    local warning
    warning=$("${VENV_PY:-python3}" - "$1" <<'PY'
import configparser, ipaddress, sys
config = configparser.RawConfigParser()
config.read(sys.argv[1])
options = config["options"] if config.has_section("options") else {}
interface = options.get("http_interface", options.get("xmlrpc_interface", "")).strip()
if interface in ("", "False", "false", "None"):
    interface = ""
try:
    local = interface.lower() == "localhost" or ipaddress.ip_address(interface).is_loopback
except ValueError:
    local = False
exposed = []
if options.get("admin_passwd", "admin") == "admin":
    exposed.append("the demo master password (admin_passwd = admin: anyone can back up, restore or drop databases)")
if options.get("list_db", "True") not in ("False", "false"):
    exposed.append("the database manager and list on (list_db = True)")
if not local and exposed:
    print(
        f"warning: Odoo listens on {interface or 'all interfaces'} with {' and '.join(exposed)}; set a strong "
        "admin_passwd and list_db = False in odoo.conf, or http_interface = 127.0.0.1 (OMS_HTTP_INTERFACE), "
        'see README "Running in production"'
    )
PY
    ) || warning=""
    if [ -n "$warning" ]; then say "$warning"; fi
}

odoo_bin() {
    "$VENV_PY" -m odoo "$@"
}

db_exists() {
    [ "$(psql -w -d postgres -tAc "select 1 from pg_database where datname = '$1'")" = 1 ]
}

setup_all() {
    mkdir -p "$LOCAL_DIR"
    find_python
    find_odoo
    ensure_venv
    ensure_postgres
}
