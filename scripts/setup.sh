#!/usr/bin/env bash
# Set up everything the addon needs on a Debian machine: system packages,
# PostgreSQL, the Odoo 18 source, a virtualenv and an addons path.
# Safe to re-run: every step checks first and does nothing when already done.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/env.sh
. "$here/scripts/env.sh"

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# --- system packages -------------------------------------------------------
need_pkgs=()
command -v pg_ctlcluster >/dev/null 2>&1 || need_pkgs+=(postgresql)
command -v wkhtmltopdf >/dev/null 2>&1 || need_pkgs+=(wkhtmltopdf)
command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || need_pkgs+=(chromium)
command -v git >/dev/null 2>&1 || need_pkgs+=(git)
command -v pdftotext >/dev/null 2>&1 || need_pkgs+=(poppler-utils)
[ -f /usr/include/postgresql/libpq-fe.h ] || need_pkgs+=(libpq-dev)
# Chinese screens, tours and PDFs need a CJK font (Chromium and wkhtmltopdf draw
# boxes without one)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  need_pkgs+=(fonts-noto-cjk)
fi
# the review PDF's Chinese, whose text layer must read back as written (Noto
# CJK's shapes come back as Kangxi radicals: ⽬ for 目)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list 'WenQuanYi Micro Hei' 2>/dev/null)" ]; then
  need_pkgs+=(fonts-wqy-microhei)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if is_root && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages: ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || die "apt-get update failed"
    apt-get install -y -qq "${need_pkgs[@]}" >/dev/null || die "apt-get install ${need_pkgs[*]} failed"
  else
    die "missing system packages: ${need_pkgs[*]}. Install them (Debian: sudo apt-get install ${need_pkgs[*]}) and re-run."
  fi
fi

# --- PostgreSQL ------------------------------------------------------------
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
  if is_root && command -v pg_lsclusters >/dev/null 2>&1; then
    cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
    [ -n "$cluster" ] || die "no PostgreSQL cluster found (pg_lsclusters is empty); create one with pg_createcluster"
    say "starting PostgreSQL cluster $cluster"
    # shellcheck disable=SC2086
    pg_ctlcluster $cluster start || die "could not start PostgreSQL cluster $cluster"
    for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
  fi
  pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "PostgreSQL is not running on $PGHOST:$PGPORT; start it (Debian: sudo pg_ctlcluster 15 main start) and re-run"
fi
if ! psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc 'select 1' >/dev/null 2>&1; then
  if is_root; then
    say "creating PostgreSQL role $PGUSER"
    runuser -u postgres -- env -u PGHOST -u PGUSER -u PGPASSWORD -u PGDATABASE psql -q -p "$PGPORT" -d postgres \
      -c "CREATE ROLE \"$PGUSER\" LOGIN SUPERUSER PASSWORD '$PGPASSWORD'" \
      || die "could not create PostgreSQL role $PGUSER"
  else
    die "PostgreSQL role $PGUSER cannot log in; create it: sudo -u postgres createuser -s $PGUSER"
  fi
fi

# --- Odoo 18 source --------------------------------------------------------
if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
  say "no Odoo source at $ODOO_SRC: cloning the official 18.0 branch"
  mkdir -p "$(dirname "$ODOO_SRC")"
  git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git "$ODOO_SRC" \
    || die "could not clone Odoo 18.0 into $ODOO_SRC (no network?). Put an Odoo 18.0 Community checkout there, or set ODOO_SRC to one, and re-run."
fi
grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
  || die "$ODOO_SRC is not Odoo 18.0 (odoo/release.py says otherwise)"

# --- virtualenv ------------------------------------------------------------
req_stamp="$SRT_VENV/.srt-requirements"
want=$(cat "$ODOO_SRC/requirements.txt" "$here/requirements-dev.txt" | sha1sum | cut -d' ' -f1)
if [ ! -x "$SRT_VENV/bin/python" ] || [ "$(cat "$req_stamp" 2>/dev/null)" != "$want" ]; then
  say "building the virtualenv in $SRT_VENV (a few minutes the first time)"
  [ -x "$SRT_VENV/bin/python" ] || python3 -m venv "$SRT_VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  constraints=$(mktemp)
  echo 'setuptools<70' > "$constraints"
  # python-ldap needs system headers and only serves auth_ldap: leave it out.
  grep -v -i '^python-ldap' "$ODOO_SRC/requirements.txt" > "$SRT_VENV/odoo-requirements.txt"
  PIP_CONSTRAINT="$constraints" "$SRT_VENV/bin/pip" install -q --disable-pip-version-check \
    -r "$SRT_VENV/odoo-requirements.txt" -r "$here/requirements-dev.txt" \
    || die "pip install failed (see above)"
  rm -f "$constraints"
  echo "$want" > "$req_stamp"
fi

# --- addons path: this checkout under its technical name -------------------
mkdir -p "$SRT_ADDONS"
ln -sfn "$here" "$SRT_ADDONS/sale_regional_target"

# --- Odoo configuration ----------------------------------------------------
cat > "$SRT_CONF" <<CONF
[options]
addons_path = $ODOO_SRC/addons,$SRT_ADDONS
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_password = $PGPASSWORD
data_dir = $SRT_HOME/data
admin_passwd = admin
http_interface = 127.0.0.1
CONF
say "ready: Odoo $ODOO_SRC, venv $SRT_VENV, config $SRT_CONF"
