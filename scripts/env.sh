# Shared settings for the project's scripts; each may be overridden from the environment.
export ODOO_SRC=${ODOO_SRC:-/opt/odoo/18.0}
export SRT_HOME=${SRT_HOME:-$HOME/.local/share/sale_regional_target}
export SRT_VENV=${SRT_VENV:-$SRT_HOME/venv}
# Each checkout gets its own addons path and configuration (two clones must not
# swap each other's code): both are named after the checkout's path.
srt_checkout=$(printf '%s' "${here:-$PWD}" | sha1sum | cut -c1-10)
export SRT_ADDONS=${SRT_ADDONS:-$SRT_HOME/addons/$srt_checkout}
export SRT_CONF=${SRT_CONF:-$SRT_HOME/odoo-$srt_checkout.conf}
export PGHOST=${PGHOST:-localhost}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-odoo}
export PGPASSWORD=${PGPASSWORD:-odoo}
