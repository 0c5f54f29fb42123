// Package browsertest drives the explorer (package web) in Debian's headless
// Chromium with chromedp, against the real service over the real Neo4j with
// data/sample imported. It has only tests; see docs/explorer.md.
//
// Chromium comes from scripts/browser-deps.sh (apt-get install chromium),
// which make test runs first. CHROMIUM_PATH names another binary. Without a
// Chromium the tests fail, saying so; they are never skipped.
package browsertest
