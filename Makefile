# Tandem — run `make help` for the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help install system typecheck test test-% up down logs ps bench bench-check bench-scale soak

help: ## list the targets
	@grep -E '^[a-z%-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 16

install: node_modules/.package-lock.json ## install every workspace's dependencies (npm ci)

# npm ci again whenever the lock file changes
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

system: ## install and start what the tests need beyond npm (PostgreSQL, NATS, chromium); root on Debian
	@scripts/ensure-system.sh test

typecheck: install ## type-check every workspace
	npm run typecheck

test: system install ## set up this machine, then run every suite (type check, dependencies, tap, browsers); ends with "N passed, N failed"
	@scripts/test-all.sh

test-%: system install ## run one suite, e.g. make test-auth-service
	@scripts/test-all.sh $*

up: install ## start Tandem (Docker Compose with an engine, native processes without one)
	@scripts/up.sh

down: ## stop whatever `make up` started; data stays
	@scripts/down.sh

logs: ## follow the logs of the running system
	@scripts/logs.sh

ps: ## show the running processes or containers
	@scripts/ps.sh

bench: install ## run every benchmark (about 10 min, not part of test) and rewrite docs/benchmarks.md
	node --import tsx bench/src/run-all.ts

bench-check: install ## run the benchmarks again; fail on a regression against docs/benchmarks.md
	node --import tsx bench/src/check.ts

bench-scale: install ## run the scale benchmark (22,000 sockets, about 12 min, not part of test); rewrites docs/scaling.md's figures
	node --import tsx bench/src/scale.ts

soak: install ## longer fault runs (more clients and cycles than make test), not part of test
	npm run -s soak -w @tandem/reliability
