# The two commands of the README:
#   make run    build and serve the espace personnel on http://127.0.0.1:3000 (SQLite);
#               `make run EID=local` also starts a local eID identity provider
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
ifeq ($(EID),local)
	@end2end/oidc/provider install
	@printf '\033[1m==> eID: a local OpenID Connect provider on http://127.0.0.1:9400 (people: marie.dupont, autre.carte, niveau.faible)\033[0m\n'
	@mkdir -p "$${DATA_DIR:-data}"; \
	end2end/oidc/provider 9400 >"$${DATA_DIR:-data}/oidc-provider.log" 2>&1 & trap 'kill $$! 2>/dev/null' EXIT; \
	EID_ISSUER_URL=http://127.0.0.1:9400 EID_CLIENT_ID=espace-dev EID_CLIENT_SECRET=dev-secret \
	EID_NRN_KEY=development-only-key-never-use-in-production \
	cargo leptos serve --release
else
	cargo leptos serve --release
endif

test:
	@.ci/setup test
	@.ci/test

setup:
	@.ci/setup test

build:
	@.ci/setup run
	cargo leptos build --release
