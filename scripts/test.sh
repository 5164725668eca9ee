#!/usr/bin/env bash
# Run the whole test suite on fresh databases and print a pytest-style summary.
#  1. install the addon with demo data and run every test (at_install and post_install);
#  2. install it without demo data, then uninstall it, to prove both work cleanly;
#  3. uninstall it from the demo database too: no demo account nor planned action
#     is left behind and what it changed in Odoo is given back.
# Exits non-zero on any failure. KEEP_DB=1 keeps the test databases.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
bash "$here/scripts/setup.sh" || exit 1

odoo() { "$SRT_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$SRT_CONF" "$@"; }
stamp=$(date +%Y%m%d%H%M%S)_$$
db="srt_test_$stamp"
db_nodemo="srt_nodemo_$stamp"
logdir="$SRT_HOME/logs"; mkdir -p "$logdir"
log="$logdir/test_$stamp.log"
port=${SRT_TEST_PORT:-8169}
tags=${TEST_TAGS:-/sale_regional_target}

cleanup() {
  if [ "${KEEP_DB:-0}" != 1 ]; then
    dropdb --if-exists "$db" 2>/dev/null
    dropdb --if-exists "$db_nodemo" 2>/dev/null
  fi
}
trap cleanup EXIT

echo "[test] 1/3 installing sale_regional_target with demo data in $db and running the tests (log: $log)"
odoo -d "$db" -i sale_regional_target --test-enable --test-tags "$tags" \
  --stop-after-init --http-port "$port" --log-level=test --max-cron-threads=0 2>&1 | tee "$log" \
  | grep -E --line-buffered ' (ERROR|CRITICAL) |^(FAIL|ERROR):|Ran [0-9]+ test|tests when loading|Starting .*Test' 
odoo_rc=${PIPESTATUS[0]}

summary=$(grep -E '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database' "$log" | tail -1)
if [ -z "$summary" ]; then
  echo "[test] no test summary in the log: the install or the test run broke (see $log)"
  tail -40 "$log"
  echo "0 passed, 1 failed"
  exit 1
fi
failed=$(sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1/' <<<"$summary")
errors=$(sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\2/' <<<"$summary")
total=$(sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\3/' <<<"$summary")
skipped=$(grep -cE ' INFO [^ ]+ [^ ]+: skipped ' "$log" || true)
# Errors logged outside a test (a broken view, a failed data file) fail the run too.
log_errors=$(grep -cE ' (ERROR|CRITICAL) |demo data failed' "$log" || true)

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
passed=$((total - bad - skipped))
extra_failed=0
[ "$nodemo_ok" = 1 ] && passed=$((passed + 1)) || extra_failed=1
[ "$demo_uninstall_ok" = 1 ] && passed=$((passed + 1)) || extra_failed=$((extra_failed + 1))
if [ "$bad" = 0 ] && [ "$log_errors" != 0 ]; then
  echo "[test] $log_errors error line(s) logged outside the tests:"
  grep -E ' (ERROR|CRITICAL) |demo data failed' "$log" | head -20
  extra_failed=$((extra_failed + 1))
fi
echo "[test] odoo exit code $odoo_rc; $summary"
echo "$passed passed, $((bad + extra_failed)) failed, $skipped skipped"
[ "$odoo_rc" = 0 ] && [ "$bad" = 0 ] && [ "$extra_failed" = 0 ]
