# Shared settings for the project's scripts; each may be overridden from the environment.
export ODOO_SRC=${ODOO_SRC:-/opt/odoo/18.0}
export SRT_HOME=${SRT_HOME:-$HOME/.local/share/sale_regional_target}
export SRT_VENV=${SRT_VENV:-$SRT_HOME/venv}
export SRT_ADDONS=${SRT_ADDONS:-$SRT_HOME/addons}
export SRT_CONF=${SRT_CONF:-$SRT_HOME/odoo.conf}
export PGHOST=${PGHOST:-localhost}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-odoo}
export PGPASSWORD=${PGPASSWORD:-odoo}
