# scamgraph: the two commands are `make run` and `make test`.
#
#   make run     build, start the embedded Neo4j (unless NEO4J_URI points
#                elsewhere), apply the schema, import data/sample, serve on
#                HTTP_ADDR (127.0.0.1:8080). Ctrl-C stops everything.
#   make test    start a throwaway embedded Neo4j on a free port, run go vet
#                and every test (integration tests included), stop it.
#   make build   bin/scamgraph only (the service; nothing in it empties a database).
#   make tools   bin/scamgraph-gen (synthetic graphs) and bin/scamgraph-bench
#   make fuzz-api     Schemathesis against /openapi.json (CI runs it after make test)
#   make reliability  Neo4j restart under load, importer killed 10x at 100k (figures)
#   make bench SCALE=N  bin/scamgraph-bench on a throwaway Neo4j: benchmarks
#                against Neo4j's baselines (the command empties its database)

GO      ?= go
BIN     := bin/scamgraph
BENCH   := bin/scamgraph-bench
GEN     := bin/scamgraph-gen
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)

include tools/neo4j.mk
include tools/reliability.mk

.PHONY: build bench-build gen-build tools run test bench vet fmt clean

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/scamgraph

run: build neo4j-build
	@scripts/run.sh

test: build neo4j-build
	@scripts/test.sh

# The benchmark command, apart from the service binary because it empties
# the database it is pointed at.
bench-build:
	$(GO) build -o $(BENCH) ./cmd/scamgraph-bench

# The synthetic graph generator (load tests, benchmarks), apart from the
# service binary too.
gen-build:
	$(GO) build -o $(GEN) ./cmd/scamgraph-gen

tools: bench-build gen-build

# Benchmarks against Neo4j's baselines (never part of make test):
#   make bench SCALE=100000
bench: build bench-build neo4j-build
	@SCALE=$(or $(SCALE),100000) scripts/bench.sh

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin .data
