#!/usr/bin/env bash
# Takes cytoscape's browser build (dist/cytoscape.min.js, MIT) from its npm package for the search page, which embeds
# it (no CDN: the page works offline).
# Usage: fetch-cytoscape.sh <cache-dir> <output-file>
# Called by the CgrFetchCytoscape target of CodeGraphRag.Api.csproj only when the output is missing or older than this
# script (which pins the version). Needs tar, and npm with registry access while the pinned .tgz is not yet cached.
set -euo pipefail

PACKAGE=cytoscape@3.34.4

fail() { echo "error CGRWEB: $*" >&2; exit 1; }

[ $# -eq 2 ] || fail "usage: fetch-cytoscape.sh <cache-dir> <output-file>"
CACHE=$1
OUT=$2
name=${PACKAGE%@*}; version=${PACKAGE##*@}
tgz="$CACHE/tgz/$name-$version.tgz"
mkdir -p "$CACHE/tgz"

# Two builds at once take turns; the second finds the file in place.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE/.fetch.lock"
  flock 9
  if [ -f "$OUT" ] && [ "$OUT" -nt "${BASH_SOURCE[0]}" ]; then
    exit 0
  fi
fi

if [ ! -f "$tgz" ]; then
  command -v npm >/dev/null 2>&1 \
    || fail "npm was not found on PATH; install Node.js with npm (e.g. apt-get install npm) to fetch $PACKAGE for the search page."
  echo "cgr-web: npm pack $PACKAGE"
  (cd "$CACHE/tgz" && npm pack --silent "$PACKAGE" >/dev/null) || fail "npm pack $PACKAGE failed (is the npm registry reachable?)"
fi

work="$CACHE/unpack.$$"
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
tar xzf "$tgz" -C "$work" --strip-components=1 package/dist/cytoscape.min.js \
  || fail "could not unpack $tgz (delete it and build again)"
mkdir -p "$(dirname "$OUT")"
# (The minified build starts with its MIT licence, so the served file carries it.)
head -c 200 "$work/dist/cytoscape.min.js" | grep -q "Cytoscape Consortium" || fail "$tgz: dist/cytoscape.min.js does not start with its licence"
mv -f "$work/dist/cytoscape.min.js" "$OUT"
echo "cgr-web: $OUT from $PACKAGE"
