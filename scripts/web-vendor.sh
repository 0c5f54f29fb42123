#!/usr/bin/env bash
# Checks (default) or refreshes (--update) the explorer's vendored
# Cytoscape.js against npm: npm ci in web/ installs exactly what
# web/package-lock.json pins (npm verifies the tarball's sha512 integrity),
# then the dist file must equal web/assets/vendor/… byte for byte, with the
# sha256 recorded in web/vendor.txt. make build/test do not need npm: the
# file is committed, and web's TestVendoredCytoscapeMatchesLock checks it
# against vendor.txt and the lock's version.
#   scripts/web-vendor.sh            check
#   scripts/web-vendor.sh --update   copy the dist file and rewrite vendor.txt
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT/web"
npm ci --ignore-scripts --no-audit --no-fund >&2
status=0
while read -r name version src dst sum; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  from="node_modules/$name/$src"
  got="$(node -p "require('./node_modules/$name/package.json').version")"
  if [[ "${1:-}" == "--update" ]]; then
    cp "$from" "$dst"
    sum="sha256:$(sha256sum "$dst" | cut -d' ' -f1)"
    sed -i "s|^$name .*|$name $got $src $dst $sum|" vendor.txt
    echo "web-vendor: $dst <- $name@$got ($sum)" >&2
    continue
  fi
  if [[ "$got" != "$version" ]]; then echo "web-vendor: lock installs $name@$got, vendor.txt says $version" >&2; status=1; fi
  if ! cmp -s "$from" "$dst"; then echo "web-vendor: $dst differs from $name@$got's $src" >&2; status=1; fi
  if [[ "sha256:$(sha256sum "$dst" | cut -d' ' -f1)" != "$sum" ]]; then echo "web-vendor: $dst sha256 differs from vendor.txt" >&2; status=1; fi
done < vendor.txt
[[ $status == 0 ]] && echo "web-vendor: vendored files match the lock" >&2
exit $status
