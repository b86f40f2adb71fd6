# The two commands of the README:
#   make run    build and serve the espace personnel on http://127.0.0.1:3000 (SQLite)
#   make test   every test: formatting, clippy, unit, HTTP (SQLite, and PostgreSQL when
#               TEST_POSTGRES_URL is set), then the browser tests in Chromium
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Build output lives outside the clone so that clones on one machine share dependency builds.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/espace-target
ESPACE_TOOLS_DIR ?= $(HOME)/.local/share/espace-tools
export ESPACE_TOOLS_DIR
export PATH := $(ESPACE_TOOLS_DIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run test setup build

run:
	@.ci/setup run
	@printf '\033[1m==> Building in release mode (the first build takes about 16 minutes on 2 cores), then serving.\033[0m\n'
	@printf '\033[1m==> Database: %s\033[0m\n' "$${DATABASE_URL:-sqlite://data/espace.sqlite}"
	cargo leptos serve --release

test:
	@.ci/setup test
	@.ci/test

setup:
	@.ci/setup test

build:
	@.ci/setup run
	cargo leptos build --release
