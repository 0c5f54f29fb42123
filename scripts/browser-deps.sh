#!/usr/bin/env bash
# The browser tests' dependency: Debian's headless Chromium. Idempotent: does
# nothing when a Chromium is already on PATH (or CHROMIUM_PATH names one);
# otherwise, as root (or through sudo), apt-get update && apt-get install
# chromium. It never fails the build itself: if Chromium cannot be
# installed it says so, and the browser tests (web/browsertest) then FAIL
# with that message; they are never skipped.
set -uo pipefail
find_chromium() {
  if [[ -n "${CHROMIUM_PATH:-}" && -x "${CHROMIUM_PATH}" ]]; then echo "$CHROMIUM_PATH"; return 0; fi
  for c in chromium chromium-browser google-chrome-stable google-chrome headless_shell; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
  done
  return 1
}
if p="$(find_chromium)"; then
  echo "browser-deps: chromium at $p" >&2
  exit 0
fi
sudo=""
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "browser-deps: chromium is not installed and I am not root (no sudo): install it with 'apt-get install -y chromium'; the browser tests will fail" >&2
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "browser-deps: chromium is not installed and there is no apt-get: install Chromium and set CHROMIUM_PATH; the browser tests will fail" >&2
  exit 0
fi
echo "browser-deps: installing chromium with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { $sudo apt-get update -q && $sudo apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core; } >&2; then
  echo "browser-deps: apt-get install chromium failed; the browser tests will fail" >&2
  exit 0
fi
if p="$(find_chromium)"; then echo "browser-deps: chromium at $p" >&2; else
  echo "browser-deps: chromium installed but not found on PATH; the browser tests will fail" >&2
fi
