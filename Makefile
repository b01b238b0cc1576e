# Mote host tooling.  Every target bootstraps .venv on first use.
#   make sim  [BOARD=rp2040] Mote on a virtual board (real MicroPython), its console
#   make test                host test suites (pytest)
# See README.md for the rest.

PYTHON ?= python3
BOARD  ?=
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.mote-stamp

.DEFAULT_GOAL := help
.PHONY: help setup sim test test-all bench oracle clean distclean firmware-setup web web-serve web-setup

help:
	@echo "make setup            create .venv (pinned tools, the 'mote' command)"
	@echo "make sim [BOARD=rp2040] Mote flashed to a virtual board, and its console"
	@echo "  ... EMULATE=1         on an emulated Pico running the real Mote firmware"
	@echo "make test             host tests (pytest -q host_tests)"
	@echo "make firmware-setup   toolchains for real firmware builds, emulator modules"
	@echo "make test-all         host tests including the slow suites (MOTE_FULL=1)"
	@echo "make web              build the web page into build/web/ (make web-serve: serve it)"
	@echo "make bench [BOARD=unix] benchmarks on CPython and MicroPython"
	@echo "make oracle [ORACLE_ARGS=--check]  corpus .out files from GNU Guile"
	@echo "make clean            remove build output and caches (keeps .venv)"
	@echo "make distclean        clean, and remove .venv too"

# The venv is rebuilt from scratch whenever the pins or the package metadata
# change.  Its output goes to stderr so that piped `make sim` prints only
# what the REPL prints.
$(STAMP): requirements.txt pyproject.toml
	@echo "setting up $(VENV) ..." >&2
	@rm -rf $(VENV)
	@$(PYTHON) -m venv $(VENV) >&2
	@$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt >&2
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e . >&2
	@touch $@

setup: $(STAMP)

# EMULATE=1: an emulated Raspberry Pi Pico (rp2040js) instead of the unix port.
sim: $(STAMP)
	@$(BIN)/mote sim --board $(or $(BOARD),rp2040)$(if $(filter 1,$(EMULATE)), --emulate)

# The ARM and 32-bit compilers (installed when root; otherwise the command
# to run is named) and tools/emulator's node modules.
firmware-setup: $(STAMP)
	@$(BIN)/mote firmware --setup

# The web page's node modules, and (when root) Debian's Chromium for its tests.
web-setup: $(STAMP)
	@$(BIN)/mote web --setup

web: $(STAMP)
	@$(BIN)/mote web --build

web-serve: $(STAMP)
	@$(BIN)/mote web

test: firmware-setup web-setup
	@$(BIN)/python -m pytest -q host_tests

test-all: firmware-setup web-setup
	@MOTE_FULL=1 $(BIN)/python -m pytest -q host_tests

bench: $(STAMP)
	@$(BIN)/mote bench --runtime both --board $(or $(BOARD),unix)

oracle: $(STAMP)
	@PATH="$(CURDIR)/$(BIN):$$PATH" sh tools/oracle.sh $(ORACLE_ARGS)

clean:
	@rm -rf build .pytest_cache *.egg-info
	@find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	@rm -rf $(VENV)
