# Exit Hub. The two commands a newcomer needs: `make run` and `make test`.
GO       ?= go
BIN      := bin/exithub
GENERATED := graph/generated.go graph/model/models_gen.go cmd/ngo-client/generated.go

.PHONY: build run test check fmt-check vet generate generate-check fuzz clean db-stop bench graphiql web-vendor web-vendor-check

build:
	$(GO) build -o $(BIN) ./cmd/exithub

# Starts (or reuses) the project's PostgreSQL in .data/ unless DATABASE_URL
# is set, migrates, loads the demo data and serves with GraphiQL.
# scripts/prerequisites comes first: it installs PostgreSQL (as root) or says
# what to install, and announces the first, slow download of the Go modules.
run:
	@scripts/prerequisites run
	@$(MAKE) --no-print-directory build
	./$(BIN) migrate
	./$(BIN) seed demo
	./$(BIN) serve --dev

# Every test, including those against a real PostgreSQL that the test
# harness starts and removes itself; fails on unformatted code, vet findings
# and generated code that is stale against schema.graphqls. First
# scripts/prerequisites installs what the tests need (as root) or stops
# with the list of what to install.
test:
	@scripts/prerequisites test
	@$(MAKE) --no-print-directory check
	$(GO) test -count=1 -timeout 15m ./...

check: fmt-check vet generate-check

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

generate:
	$(GO) tool gqlgen generate
	$(GO) tool genqlient cmd/ngo-client/genqlient.yaml

# Regenerates and fails if that changed anything: the checked-in code must
# match the schema.
generate-check:
	@before=$$(cat $(GENERATED) | sha256sum); \
	$(GO) tool gqlgen generate && $(GO) tool genqlient cmd/ngo-client/genqlient.yaml; \
	after=$$(cat $(GENERATED) | sha256sum); \
	if [ "$$before" != "$$after" ]; then echo "generated code was stale against schema.graphqls; run make generate and commit"; exit 1; fi

# Re-vendors GraphiQL from web/graphiql/package-lock.json into
# web/graphiql/assets (committed and embedded in the binary); run it after
# changing the pinned versions, and commit the result.
graphiql:
	web/graphiql/vendor.sh

# The web app's libraries, pinned in web/npm/package-lock.json: graphql-ws's
# browser build for the app, axe-core for its accessibility test. The built
# files are committed (the build needs no network); web-vendor installs the
# locked versions and copies them, web-vendor-check does so in a scratch
# directory and fails if the committed files differ. vendored.sha256 lets
# `go test ./web` notice a hand edit without npm.
WEB_VENDOR := web/app/vendor/graphql-ws.min.js cmd/exithub/testdata/axe.min.js
web-vendor:
	cd web/npm && npm ci --ignore-scripts --no-audit --no-fund
	cp web/npm/node_modules/graphql-ws/umd/graphql-ws.min.js web/app/vendor/
	cp web/npm/node_modules/axe-core/axe.min.js cmd/exithub/testdata/
	sha256sum $(WEB_VENDOR) > web/npm/vendored.sha256

web-vendor-check:
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	cp web/npm/package.json web/npm/package-lock.json $$tmp/ && \
	(cd $$tmp && npm ci --ignore-scripts --no-audit --no-fund >/dev/null) && \
	cmp $$tmp/node_modules/graphql-ws/umd/graphql-ws.min.js web/app/vendor/graphql-ws.min.js && \
	cmp $$tmp/node_modules/axe-core/axe.min.js cmd/exithub/testdata/axe.min.js && \
	sha256sum -c --quiet web/npm/vendored.sha256 && echo "vendored web libraries match package-lock.json"

# Fuzzes each target for a while (FUZZTIME, default 30s each).
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$t"; $(GO) test $$pkg -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) || exit 1; \
	  done; \
	done

# Measures the hub under load on a throwaway PostgreSQL (or DATABASE_URL)
# loaded with the national dataset at BENCH_SCALE, and writes the table to
# bench/results (see bench/README.md). BENCH_FLAGS passes more flags, e.g.
# BENCH_FLAGS='-duration 30s'.
BENCH_SCALE ?= 0.1
BENCH_FLAGS ?=
bench:
	$(GO) run ./cmd/bench -scale $(BENCH_SCALE) $(BENCH_FLAGS)

# Stops the development cluster that `make run` keeps in .data/.
db-stop: build
	./$(BIN) db stop

clean:
	rm -rf bin
