#!/usr/bin/env bash
# Refresh i18n/sale_regional_target.pot from a database where the addon is installed
# with its demo data (DB, default srt_demo: `make demo` makes it) and merge
# i18n/zh_CN.po with it; then translate the new entries the script lists.
# The demo targets' names ("2026 Collections · East China") are left out: the addon
# writes them in every active language itself and they change with the year.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
DB=${DB:-srt_demo}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$SRT_VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$SRT_CONF" -d "$DB" --no-http \
  --log-level=warn --i18n-export="$tmp/export.pot" --modules=sale_regional_target
"$SRT_VENV/bin/python" - "$tmp/export.pot" "$here/i18n" <<'PY'
import sys

import polib

export, i18n = sys.argv[1:]
GENERATED = "model:sale.target,name:"
pot = polib.pofile(export)
for entry in list(pot):
    entry.occurrences = [o for o in entry.occurrences if not o[0].startswith(GENERATED)]
    if not entry.occurrences:
        pot.remove(entry)
pot.save(f"{i18n}/sale_regional_target.pot")
po = polib.pofile(f"{i18n}/zh_CN.po", wrapwidth=0)
po.merge(pot)
for entry in po.obsolete_entries():
    po.remove(entry)
po.save()
todo = [e.msgid for e in po if not e.msgstr.strip() or e.fuzzy]
print(f"{len(po)} terms, {len(todo)} to translate in i18n/zh_CN.po")
for msgid in todo:
    print("  ", msgid[:100])
PY
