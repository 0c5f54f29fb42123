#!/usr/bin/env bash
# The export tests' reference checkers, installed by make test (idempotent,
# a second run takes well under a second):
#   - followthemoney (PyPI), the FollowTheMoney reference implementation, in
#     a virtualenv at ${SCAMGRAPH_VENV:-$HOME/.cache/scamgraph/venv}; the
#     FtM export test (export/ftm_python_test.go) loads every exported line
#     with it;
#   - xmllint (Debian libxml2-utils), which validates GEXF exports against
#     the official GEXF 1.3 XSD (export/testdata/gexf-1.3).
# It never fails the build itself: when a tool cannot be had it says so,
# and the tests that need it then FAIL with that message (never skip).
# Prints nothing on stdout; the venv's python is at $SCAMGRAPH_VENV/bin/python.
set -uo pipefail
FTM_VERSION="${FTM_VERSION:-4.11.2}"
venv="${SCAMGRAPH_VENV:-$HOME/.cache/scamgraph/venv}"
stamp="$venv/.followthemoney-$FTM_VERSION"
# apt-get, as root or through password-less sudo ("" when neither works).
apt_get() {
  local sudo=""
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || return 1
    sudo="sudo -n"
  fi
  command -v apt-get >/dev/null 2>&1 || return 1
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q --no-install-recommends "$@" >&2 \
    || { $sudo apt-get update -q >&2 && $sudo apt-get install -y -q --no-install-recommends "$@" >&2; }
}
if [[ ! -f "$stamp" ]]; then
  # followthemoney needs PyICU (through normality), which PyPI has only as
  # source: compiling it takes over 10 minutes on 2 cores. On Debian the
  # venv is made from the system Python with Debian's prebuilt python3-icu
  # visible (--system-site-packages); elsewhere pip builds PyICU.
  py="$(command -v python3 || true)"
  venv_opts=()
  if [[ -x /usr/bin/python3 ]] && { /usr/bin/python3 -c 'import icu' 2>/dev/null || apt_get python3-icu python3-venv; } \
     && /usr/bin/python3 -c 'import icu, venv' 2>/dev/null; then
    py=/usr/bin/python3
    venv_opts=(--system-site-packages)
  fi
  if [[ -z "$py" ]]; then
    echo "export-deps: no python3: the FtM export test will fail" >&2
  else
    echo "export-deps: installing followthemoney $FTM_VERSION into $venv" >&2
    if { rm -rf "$venv" && "$py" -m venv "${venv_opts[@]}" "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check "followthemoney==$FTM_VERSION"; } >&2; then
      touch "$stamp"
    else
      echo "export-deps: pip install followthemoney failed: the FtM export test will fail" >&2
    fi
  fi
fi
if ! command -v xmllint >/dev/null 2>&1; then
  echo "export-deps: installing libxml2-utils (xmllint) with apt-get" >&2
  apt_get libxml2-utils || echo "export-deps: apt-get install libxml2-utils failed: the GEXF schema test will fail" >&2
fi
exit 0
