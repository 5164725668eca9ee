#!/usr/bin/env bash
# Run the pre-commit hooks (ruff, ruff format, pylint-odoo) over the whole addon.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
bash "$here/scripts/setup.sh" >/dev/null
export PATH="$SRT_VENV/bin:$PATH"
cd "$here"
# the Apps page is generated from readme/: it must be up to date
python scripts/description.py --check
exec pre-commit run --all-files
