#!/usr/bin/env bash
# Run tests with pytest (pytest-odoo) on an existing database with the addon,
# after updating the addon there: the quick loop while developing.
#   DB=srt_demo bash scripts/pytest.sh -k order_day
#   make pytest DB=srt_demo ARGS="-k 'split and not manual'"
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
bash "$here/scripts/setup.sh" >/dev/null
DB=${DB:-srt_demo}
"$SRT_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$SRT_CONF" -d "$DB" -u sale_regional_target \
  --stop-after-init --max-cron-threads=0 --http-port "${SRT_TEST_PORT:-8169}" --log-level=warn
addon="$SRT_ADDONS/sale_regional_target"
cd "$SRT_HOME"  # collected through the addons-path link (see scripts/test.sh)
PYTHONPATH="$ODOO_SRC" exec "$SRT_VENV/bin/python" -m pytest \
  --odoo-config="$SRT_CONF" --odoo-database="$DB" --odoo-http \
  --rootdir="$addon" -p no:cacheprovider -W ignore::DeprecationWarning "$addon/tests" "$@"
