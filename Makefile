# The two commands of the Quick start: `make demo` and `make test`.
SHELL := /bin/bash
DB ?= srt_demo
PORT ?= 8069

.PHONY: setup demo test pytest lint bench i18n screenshots

setup:  ## install everything (Debian packages, PostgreSQL, Odoo 18, virtualenv)
	bash scripts/setup.sh

demo:   ## set up, create the demo database and serve it on http://localhost:$(PORT)
	DB=$(DB) PORT=$(PORT) bash scripts/demo.sh

test:   ## run the whole test suite on fresh databases
	bash scripts/test.sh

pytest: ## tests through pytest on an existing database: make pytest DB=srt_demo ARGS="-k order_day"
	DB=$(DB) bash scripts/pytest.sh $(ARGS)

lint:   ## ruff and pylint-odoo through pre-commit
	bash scripts/lint.sh

bench:  ## time actuals: BENCH_SIZE=quick|full
	bash benchmarks/bench.sh

i18n:   ## refresh the template and zh_CN.po from the demo database (DB=srt_demo)
	DB=$(DB) bash scripts/i18n.sh

screenshots:  ## the README's screenshots, each role in English and Chinese (DB=srt_demo)
	DB=$(DB) bash scripts/screenshots.sh
