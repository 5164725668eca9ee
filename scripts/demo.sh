#!/usr/bin/env bash
# Set everything up, create (once) a database with the addon and its demo data, and
# serve it on http://127.0.0.1:$PORT. RESET=1 rebuilds the database;
# HTTP_INTERFACE=0.0.0.0 serves it to other machines too; SERVE=0 only prepares it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
bash "$here/scripts/setup.sh"
DB=${DB:-srt_demo}
PORT=${PORT:-8069}
HTTP_INTERFACE=${HTTP_INTERFACE:-127.0.0.1}
odoo() { "$SRT_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$SRT_CONF" "$@"; }
[ "${RESET:-0}" = 1 ] && dropdb --if-exists "$DB"
if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  echo "[demo] creating database $DB with sale_regional_target, its demo data and Chinese"
  echo "[demo] (about three minutes: three years of orders, invoices and payments are generated)"
  odoo -d "$DB" -i sale_regional_target --load-language=en_US,zh_CN --stop-after-init \
    --max-cron-threads=0 --http-port "$PORT" --log-level=info 2>&1 \
    | grep --line-buffered -E 'Demo history|loading sale_regional_target/demo|ERROR|CRITICAL|Modules loaded' \
    | sed -u -E 's/^[0-9-]+ [0-9:,]+ [0-9]+ [A-Z]+ [^ ]+ [^ ]+: /[demo]   /'
  "$SRT_VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$SRT_CONF" -d "$DB" --no-http \
    --log-level=warn < "$here/scripts/demo_users.py"
else
  echo "[demo] updating sale_regional_target in $DB"
  # English stays installed (the first language loaded is the database's own: a
  # database created with Chinese alone would show Chinese to the administrator)
  odoo -d "$DB" -u sale_regional_target --load-language=en_US --stop-after-init \
    --max-cron-threads=0 --http-port "$PORT" --log-level=warn
fi
[ "${SERVE:-1}" = 0 ] && exit 0
host=$HTTP_INTERFACE
[ "$host" = 0.0.0.0 ] && host=localhost
cat <<TXT
[demo] serving $DB on http://$host:$PORT (Ctrl-C stops). Logins (password = login):
         admin          administrator, HQ (English)
         director       Wang Jianguo, sales director, HQ (Chinese)
         east_manager   Zhao Min, East China regional manager (Chinese)
         chenjie        Chen Jie, team leader in East China (Chinese)
         laowang        Lao Wang, salesperson: stable repeat buyers (Chinese)
         xiaoli         Xiao Li, salesperson, new hire (Chinese)
TXT
exec "$SRT_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$SRT_CONF" -d "$DB" --db-filter "^$DB\$" \
  --http-interface "$HTTP_INTERFACE" --http-port "$PORT"
