# The two commands of the README:
#   make run    build the release and serve the espace personnel on http://127.0.0.1:3000
#               (SQLite); `make run EID=local` also starts a local eID identity provider
#   make test   every test: formatting, clippy, unit, HTTP (SQLite, and PostgreSQL when
#               TEST_POSTGRES_URL is set), the release build, then the browser tests in
#               Chromium against that release build
# And for operators:
#   make cluster  the release build as two servers behind nginx, with PostgreSQL, an S3
#               server and an SMTP sink, on http://127.0.0.1:8080 (Ctrl-C stops it all)
#   make faults   the fault tests on that cluster (RELIABILITY.md)
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Build output lives outside the clone so that clones on one machine share dependency builds.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/espace-target
ESPACE_TOOLS_DIR ?= $(HOME)/.local/share/espace-tools
export ESPACE_TOOLS_DIR
export PATH := $(ESPACE_TOOLS_DIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

# The release build, as CI builds it too: the server binary, and the site (hashed JS, the
# islands' WASM with the procedure form split into a chunk of its own, CSS; each file also
# compressed with brotli and gzip).
SERVER_BIN := $(CARGO_TARGET_DIR)/server-release/server
# How a deployment starts it: the binary and the Leptos variables of the README.
SERVE := LEPTOS_OUTPUT_NAME=espace LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
	LEPTOS_HASH_FILES=true $(SERVER_BIN)

.PHONY: run test setup build cluster faults

run: build
	@printf '\033[1m==> Database: %s\033[0m\n' "$${DATABASE_URL:-sqlite://data/espace.sqlite}"
ifeq ($(EID),local)
	@end2end/oidc/provider install
	@printf '\033[1m==> eID: a local OpenID Connect provider on http://127.0.0.1:9400 (people: marie.dupont, autre.carte, niveau.faible)\033[0m\n'
	@mkdir -p "$${DATA_DIR:-data}"; \
	end2end/oidc/provider 9400 >"$${DATA_DIR:-data}/oidc-provider.log" 2>&1 & trap 'kill $$! 2>/dev/null' EXIT; \
	printf '\033[1m==> Serving on http://127.0.0.1:3000 (Ctrl-C stops it)\033[0m\n'; \
	EID_ISSUER_URL=http://127.0.0.1:9400 EID_CLIENT_ID=espace-dev EID_CLIENT_SECRET=dev-secret \
	EID_NRN_KEY=development-only-key-never-use-in-production \
	$(SERVE)
else
	@printf '\033[1m==> Serving on http://127.0.0.1:3000 (Ctrl-C stops it)\033[0m\n'
	@$(SERVE)
endif

build:
	@.ci/setup run
	@printf '\033[1m==> Building in release mode (the first build takes about 20 minutes on 2 cores)\033[0m\n'
	cargo leptos build --release --precompress --split

test:
	@.ci/setup test
	@.ci/test

setup:
	@.ci/setup test

cluster: build
	@cluster/run serve

faults: build
	@cluster/run faults
