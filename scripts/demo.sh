#!/usr/bin/env bash
# Set everything up, create (once) a database with the addon and its demo data, and
# serve it on http://localhost:$PORT (login admin / admin). RESET=1 rebuilds the database.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
bash "$here/scripts/setup.sh"
DB=${DB:-srt_demo}
PORT=${PORT:-8069}
odoo() { "$SRT_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$SRT_CONF" "$@"; }
[ "${RESET:-0}" = 1 ] && dropdb --if-exists "$DB"
if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  echo "[demo] creating database $DB with sale_regional_target and its demo data"
  odoo -d "$DB" -i sale_regional_target --stop-after-init --max-cron-threads=0 --http-port "$PORT"
else
  echo "[demo] updating sale_regional_target in $DB"
  odoo -d "$DB" -u sale_regional_target --stop-after-init --max-cron-threads=0 --http-port "$PORT"
fi
echo "[demo] serving $DB on http://localhost:$PORT (login admin, password admin); Ctrl-C stops"
exec "$SRT_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$SRT_CONF" -d "$DB" --db-filter "^$DB\$" \
  --http-interface 0.0.0.0 --http-port "$PORT"
