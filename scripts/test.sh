#!/usr/bin/env bash
# Run the whole test suite on fresh databases and print pytest's summary.
#  1. install the addon with demo data and Chinese (any error logged fails the run), then run
#     every test through pytest with the pytest-odoo plugin, the browser tours
#     included (pytest-odoo serves the database over HTTP for them);
#  2. install it without demo data, then uninstall it, to prove both work cleanly;
#  3. uninstall it from the demo database too: no demo account nor planned action
#     is left behind and what it changed in Odoo is given back.
# Exits non-zero on any failure. KEEP_DB=1 keeps the test databases;
# PYTEST_ADDOPTS="-k order_day" narrows the tests (pytest reads it).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
bash "$here/scripts/setup.sh" || exit 1

odoo() { "$SRT_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$SRT_CONF" "$@"; }
stamp=$(date +%Y%m%d%H%M%S)_$$
db="srt_test_$stamp"
db_nodemo="srt_nodemo_$stamp"
logdir="$SRT_HOME/logs"; mkdir -p "$logdir"
log="$logdir/install_$stamp.log"
pytest_log="$logdir/pytest_$stamp.log"
port=${SRT_TEST_PORT:-8169}

cleanup() {
  if [ "${KEEP_DB:-0}" != 1 ]; then
    dropdb --if-exists "$db" 2>/dev/null
    dropdb --if-exists "$db_nodemo" 2>/dev/null
  fi
}
trap cleanup EXIT

echo "[test] 1/3 installing sale_regional_target with demo data in $db (log: $log)"
# Chinese is loaded as `make demo` loads it: the seed company's people read it, and
# the demo writes to them in it (the tests of what a Chinese reader sees need it)
odoo -d "$db" -i sale_regional_target --load-language=en_US,zh_CN --stop-after-init \
  --http-port "$port" --max-cron-threads=0 >"$log" 2>&1
install_rc=$?
# Errors logged during the install (a broken view, a failed data file) fail the run.
log_errors=$(grep -cE ' (ERROR|CRITICAL) |demo data failed' "$log" || true)
if [ "$install_rc" != 0 ] || [ "$log_errors" != 0 ]; then
  echo "[test] the install failed (exit code $install_rc, $log_errors error line(s)):"
  grep -E ' (ERROR|CRITICAL) |demo data failed' "$log" | head -20
  tail -20 "$log"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

echo "[test] running the tests with pytest in $db (pytest log: $pytest_log)"
# The addon is collected through its addons-path link, so that pytest-odoo names
# its modules odoo.addons.sale_regional_target.* whatever the checkout is called.
addon="$SRT_ADDONS/sale_regional_target"
(cd "$SRT_HOME" && PYTHONPATH="$ODOO_SRC" "$SRT_VENV/bin/python" -m pytest \
  --odoo-config="$SRT_CONF" --odoo-database="$db" --odoo-http \
  --rootdir="$addon" -p no:cacheprovider -W ignore::DeprecationWarning \
  -o console_output_style=count -rfE "$addon/tests") 2>&1 | tee "$pytest_log" \
  | grep --line-buffered -vE '^\s*$|^ +|Warning|warnings summary|Docs: https'
pytest_rc=${PIPESTATUS[0]}
summary=$(grep -E '^=+ .*( passed| failed| error).* in [0-9.]+s' "$pytest_log" | tail -1)
if [ -z "$summary" ]; then
  echo "[test] no pytest summary: the run broke (see $pytest_log)"
  tail -40 "$pytest_log"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
count() { grep -oE "[0-9]+ $1" <<<"$summary" | head -1 | cut -d' ' -f1; }
passed=$(count passed); failed=$(count failed); errors=$(count 'errors?')
skipped=$(count skipped)
passed=${passed:-0}; failed=${failed:-0}; errors=${errors:-0}; skipped=${skipped:-0}

echo "[test] 2/3 installing without demo data in $db_nodemo, then uninstalling"
nodemo_ok=1
if odoo -d "$db_nodemo" -i sale_regional_target --without-demo=all --stop-after-init \
     --http-port "$port" --max-cron-threads=0 >"$logdir/nodemo_$stamp.log" 2>&1 \
   && ! grep -qE ' (ERROR|CRITICAL) ' "$logdir/nodemo_$stamp.log"; then
  if ! "$SRT_VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$SRT_CONF" -d "$db_nodemo" --no-http \
       < "$here/scripts/uninstall_check.py" >"$logdir/uninstall_$stamp.log" 2>&1 \
     || ! grep -q "UNINSTALL OK" "$logdir/uninstall_$stamp.log"; then
    echo "[test] uninstall failed (see $logdir/uninstall_$stamp.log)"; tail -20 "$logdir/uninstall_$stamp.log"
    nodemo_ok=0
  fi
else
  echo "[test] install without demo failed (see $logdir/nodemo_$stamp.log)"
  grep -E ' (ERROR|CRITICAL) ' "$logdir/nodemo_$stamp.log" | head -20
  nodemo_ok=0
fi

echo "[test] 3/3 uninstalling from the demo database $db"
demo_uninstall_ok=1
if ! SRT_EXPECT_DEMO=1 "$SRT_VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$SRT_CONF" -d "$db" --no-http \
     < "$here/scripts/uninstall_check.py" >"$logdir/uninstall_demo_$stamp.log" 2>&1 \
   || ! grep -q "UNINSTALL OK" "$logdir/uninstall_demo_$stamp.log"; then
  echo "[test] uninstall from the demo database failed (see $logdir/uninstall_demo_$stamp.log)"
  tail -20 "$logdir/uninstall_demo_$stamp.log"
  demo_uninstall_ok=0
else
  grep -E "^before:" "$logdir/uninstall_demo_$stamp.log"
fi

bad=$((failed + errors))
extra_failed=0
[ "$nodemo_ok" = 1 ] && passed=$((passed + 1)) || extra_failed=1
[ "$demo_uninstall_ok" = 1 ] && passed=$((passed + 1)) || extra_failed=$((extra_failed + 1))
echo "[test] pytest exit code $pytest_rc; $summary"
echo "$passed passed, $((bad + extra_failed)) failed, $skipped skipped"
[ "$pytest_rc" = 0 ] && [ "$bad" = 0 ] && [ "$extra_failed" = 0 ]
