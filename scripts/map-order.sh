#!/usr/bin/env bash
# What a platform's order becomes in the OMS, without a database (see the README):
#   scripts/map-order.sh shopify webhook_body.json
#   scripts/map-order.sh prestashop order_12.xml customers.xml addresses.xml ...
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
find_python
find_odoo
ensure_venv
cd "$PROJECT_DIR" && exec "$VENV_PY" - "$@" <<'PYTHON'
import sys

import odoo.addons

odoo.addons.__path__.append("addons")
from odoo.addons.oms_channels.services.platforms.map_command import main

sys.exit(main(sys.argv[1:]))
PYTHON
