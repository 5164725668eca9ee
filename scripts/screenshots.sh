#!/usr/bin/env bash
# Take the README's screenshots (static/description/screenshots): prepare the demo
# database (DB, default srt_demo), serve it on a spare port for the time of the
# shots, and drive headless Chromium through each role's main screens.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
DB=${DB:-srt_demo}
SHOT_PORT=${SHOT_PORT:-8079}
SERVE=0 DB="$DB" bash "$here/scripts/demo.sh"
log=$(mktemp)
"$SRT_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$SRT_CONF" -d "$DB" --db-filter "^$DB\$" \
  --http-interface 127.0.0.1 --http-port "$SHOT_PORT" --max-cron-threads=0 \
  --log-level=warn >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$SHOT_PORT/web/login" && break
  kill -0 $server 2>/dev/null || { cat "$log"; echo "[screenshots] Odoo did not start" >&2; exit 1; }
  sleep 1
done
"$SRT_VENV/bin/python" "$here/scripts/screenshots.py" --url "http://127.0.0.1:$SHOT_PORT" \
  --db "$DB" --out "$here/static/description/screenshots"
