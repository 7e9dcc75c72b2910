# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLES ?= ../shared/seeds/*.txt
DB ?= strichka.db

.PHONY: demo test lint bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/strichka source import src/strichka/data/sources.toml --db $(DB)
	$(BIN)/strichka run --once --skip-offline --db $(DB)
	@if ls $(SAMPLES) >/dev/null 2>&1; then \
		$(BIN)/strichka import $(SAMPLES) --db $(DB); \
	else \
		echo "no samples at $(SAMPLES): set SAMPLES=PATH to import your own"; \
	fi
	$(BIN)/strichka stats --db $(DB)
	$(BIN)/strichka list --limit 5 --db $(DB)
	@for id in $$($(BIN)/strichka list --ids --limit 1 --db $(DB)); do \
		$(BIN)/strichka show $$id --db $(DB); done
	@echo "strichka is at http://127.0.0.1:$${PORT:-8000}/ (Ctrl-C stops it)"
	$(BIN)/strichka serve --db $(DB) --port $${PORT:-8000}

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: $(STAMP) lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks

DATA ?= ../shared/data

eval: $(STAMP)
	@echo "== article-body extraction (scrapinghub benchmark)"
	$(BIN)/strichka eval extraction $(DATA)/extraction/article-extraction-benchmark
	@echo "== language identification"
	$(BIN)/strichka eval language $(DATA)
	@echo "== entities, shipped rules: ner-uk dev, then SlavicNER uk"
	$(BIN)/strichka eval ner $(DATA)/ner-uk-v2-dev
	$(BIN)/strichka eval ner $(DATA)/slavicner-uk-ru
	@echo "== entities, trained CRF: 5-fold cross-validation on ner-uk dev"
	$(BIN)/strichka eval ner --crf $(DATA)/ner-uk-v2-dev
	@echo "== dates on ner-uk DATE spans"
	$(BIN)/strichka eval dates $(DATA)/ner-uk-v2-dev
	@echo "== stories: same-story pairs, bruk-press false merges, SlavicNER topic purity"
	$(BIN)/strichka eval pairs $(DATA)/story-pairs/pairs-dev.jsonl
	$(BIN)/strichka eval story-merges $(DATA)/bruk-press/bruk-press.jsonl
	$(BIN)/strichka eval story-purity $(DATA)/slavicner-uk-ru/raw

clean:
	rm -rf $(VENV) build dist src/*.egg-info
