#!/usr/bin/env bash
# One command for the actuals benchmark: BENCH_SIZE=quick|full (default quick).
# Builds (once) a database with the addon, no demo data, and the generated company,
# then times the three ways of computing actuals (BENCH=actuals) and the allocation
# (BENCH=allocation); both by default. REBUILD=1 regenerates.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
bash "$here/scripts/setup.sh" >/dev/null
export BENCH_SIZE=${BENCH_SIZE:-quick} BENCH_YEAR=${BENCH_YEAR:-2025}
db="srt_bench_${BENCH_SIZE}"
odoo() { "$SRT_VENV/bin/python" "$ODOO_SRC/odoo-bin" "$@"; }
[ "${REBUILD:-0}" = 1 ] && dropdb --if-exists "$db"
if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  echo "[bench] creating $db (addon without demo data), then the $BENCH_SIZE company"
  odoo -c "$SRT_CONF" -d "$db" -i sale_regional_target --without-demo=all --stop-after-init \
    --max-cron-threads=0 --http-port 8179 --log-level=warn
  odoo shell -c "$SRT_CONF" -d "$db" --no-http --log-level=warn < "$here/benchmarks/generate.py"
else
  echo "[bench] upgrading the addon in $db to this checkout"
  odoo -c "$SRT_CONF" -d "$db" -u sale_regional_target --stop-after-init \
    --max-cron-threads=0 --http-port 8179 --log-level=warn
fi
echo "[bench] machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m); PostgreSQL $(psql -tAc 'SHOW server_version' -d postgres)"
what=${BENCH:-all}  # actuals, allocation, lifecycle, forecast, war, lag, review or all
if [ "$what" = all ] || [ "$what" = actuals ]; then
  echo "[bench] actuals: (a) addon, (c) SQL floor, (b) one search per target"
  odoo shell -c "$SRT_CONF" -d "$db" --no-http --log-level=warn < "$here/benchmarks/run.py"
fi
if [ "$what" = all ] || [ "$what" = allocation ]; then
  echo "[bench] allocation math (pure functions)"
  "$SRT_VENV/bin/python" "$here/benchmarks/allocation_math.py"
  echo "[bench] allocation wizard: full cascade"
  odoo shell -c "$SRT_CONF" -d "$db" --no-http --log-level=warn < "$here/benchmarks/allocation.py"
fi
if [ "$what" = all ] || [ "$what" = lifecycle ]; then
  echo "[bench] customer lifecycle classification and action pack scheduling"
  odoo shell -c "$SRT_CONF" -d "$db" --no-http --log-level=warn < "$here/benchmarks/lifecycle.py"
fi
if [ "$what" = all ] || [ "$what" = forecast ]; then
  echo "[bench] forecast and its backtest"
  odoo shell -c "$SRT_CONF" -d "$db" --no-http --log-level=warn < "$here/benchmarks/forecast.py"
fi
if [ "$what" = all ] || [ "$what" = war ]; then
  echo "[bench] war room data"
  odoo shell -c "$SRT_CONF" -d "$db" --no-http --log-level=warn < "$here/benchmarks/war_room.py"
fi
if [ "$what" = all ] || [ "$what" = lag ]; then
  echo "[bench] weekly lag warnings"
  odoo shell -c "$SRT_CONF" -d "$db" --no-http --log-level=warn < "$here/benchmarks/lag_warnings.py"
fi
if [ "$what" = all ] || [ "$what" = review ]; then
  echo "[bench] review PDF of a big region"
  odoo shell -c "$SRT_CONF" -d "$db" --no-http --log-level=warn < "$here/benchmarks/review.py"
fi
