# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= liftbot.db
SAMPLE := examples/hr_leaders_chat.txt

.PHONY: run test lint bench install clean model helper-model

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DATABASE_URL=sqlite:///$(DB) $(BIN)/liftbot db upgrade
	DATABASE_URL=sqlite:///$(DB) $(BIN)/liftbot import $(SAMPLE) --community "People Leaders Forum"
	DATABASE_URL=sqlite:///$(DB) $(BIN)/liftbot report --community "People Leaders Forum" --week latest
	DATABASE_URL=sqlite:///$(DB) $(BIN)/liftbot report --community "People Leaders Forum" --week latest --format html --out out/report.html
	@echo "HTML report written to out/report.html"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Tests spend much of their time waiting on subprocesses and databases, so one worker more than
# the cores keeps both busy; LIFTBOT_TEST_WORKERS=0 runs them in this process (for debugging).
TEST_WORKERS ?= $(or $(LIFTBOT_TEST_WORKERS),$(shell $(PYTHON) -c "import os; print(max(3, (os.cpu_count() or 1) + 1))"))

test: lint
	$(BIN)/pytest -o addopts="" -q -p no:cacheprovider -n $(TEST_WORKERS)

# Refit the kind classifier from bot/judgement/corpus/ (deterministic: same corpus, same bytes).
model: $(STAMP)
	$(BIN)/python -m bot.judgement.training

# Refit the helper ranking's weights on eval/dev_chats, after a leave-one-chat-out report.
helper-model: $(STAMP)
	$(BIN)/python -m bot.evaluation.helper_fit --loco

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm out
