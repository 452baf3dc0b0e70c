#!/usr/bin/env bash
# Builds libcgr_treesitter.so (tree-sitter runtime + grammars) from the C sources that the npm packages ship.
# Usage: build-native.sh <cache-dir> <output-library>
# Called by TreeSitterNative.targets only when the library is missing or older than this script or cgr_native.c (our own
# native additions, compiled into the same library).
# Needs: bash, tar, gcc, and npm with registry access while a pinned .tgz is not yet in <cache-dir>/tgz.
set -euo pipefail

# Pinned versions: changing one rebuilds the library (this file is an input of the MSBuild target).
PACKAGES=(
  tree-sitter@0.25.1
  tree-sitter-python@0.25.0
  tree-sitter-javascript@0.25.0
  tree-sitter-typescript@0.23.2
  tree-sitter-go@0.25.0
  tree-sitter-java@0.23.5
  tree-sitter-rust@0.24.0
  tree-sitter-c@0.24.1
  tree-sitter-cpp@0.23.4
  tree-sitter-ruby@0.23.1
  tree-sitter-php@0.24.2
)

# <object name> <grammar source folder relative to the package root>; scanner.c is compiled when present.
GRAMMARS=(
  "python tree-sitter-python/src"
  "javascript tree-sitter-javascript/src"
  "typescript tree-sitter-typescript/typescript/src"
  "tsx tree-sitter-typescript/tsx/src"
  "go tree-sitter-go/src"
  "java tree-sitter-java/src"
  "rust tree-sitter-rust/src"
  "c tree-sitter-c/src"
  "cpp tree-sitter-cpp/src"
  "ruby tree-sitter-ruby/src"
  "php tree-sitter-php/php/src"
)

fail() { echo "error CGRNATIVE: $*" >&2; exit 1; }

[ $# -eq 2 ] || fail "usage: build-native.sh <cache-dir> <output-library>"
CACHE=$1
OUT=$2
CC=${CC:-gcc}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

command -v "$CC" >/dev/null 2>&1 || fail "$CC was not found on PATH; install gcc (e.g. apt-get install gcc) to build the tree-sitter library."
command -v tar >/dev/null 2>&1 || fail "tar was not found on PATH."

mkdir -p "$CACHE/tgz" "$CACHE/pkgs"

# Two builds of the same checkout at once (e.g. two dotnet processes) take turns; the second finds the library built.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE/.build.lock"
  flock 9
  if [ -f "$OUT" ] && [ "$OUT" -nt "${BASH_SOURCE[0]}" ] && [ "$OUT" -nt "$HERE/cgr_native.c" ]; then
    echo "cgr-native: $OUT is up to date"
    exit 0
  fi
fi

# (a) fetch the packages that are not cached yet, in one npm call.
missing=()
for spec in "${PACKAGES[@]}"; do
  name=${spec%@*}; version=${spec##*@}
  [ -f "$CACHE/tgz/$name-$version.tgz" ] || missing+=("$spec")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v npm >/dev/null 2>&1 \
    || fail "npm was not found on PATH; install Node.js with npm (e.g. apt-get install npm) to fetch the tree-sitter sources."
  echo "cgr-native: npm pack ${missing[*]}"
  (cd "$CACHE/tgz" && npm pack --silent "${missing[@]}" >/dev/null) \
    || fail "npm pack failed for: ${missing[*]} (is the npm registry reachable?)"
fi

# Unpack each version into its own folder; pkgs/<name> points at the pinned version.
for spec in "${PACKAGES[@]}"; do
  name=${spec%@*}; version=${spec##*@}
  dest="$CACHE/pkgs/$name-$version"
  if [ ! -f "$dest/package.json" ]; then
    rm -rf "$dest.partial" && mkdir -p "$dest.partial"
    tar xzf "$CACHE/tgz/$name-$version.tgz" -C "$dest.partial" --strip-components=1 \
      || fail "could not unpack $CACHE/tgz/$name-$version.tgz (delete it and build again)"
    rm -rf "$dest" && mv "$dest.partial" "$dest"
  fi
  ln -sfn "$name-$version" "$CACHE/pkgs/$name"
done

# (b) compile: the runtime and every grammar unit, two at a time (each grammar has its own parser.h).
OBJ="$CACHE/obj.$$"
rm -rf "$OBJ" && mkdir -p "$OBJ"
trap 'rm -rf "$OBJ"' EXIT
RT="$CACHE/pkgs/tree-sitter/vendor/tree-sitter/lib"
{
  echo "$RT/src/lib.c|$OBJ/runtime.o|-I$RT/include -I$RT/src"
  echo "$HERE/cgr_native.c|$OBJ/cgr_native.o|-I$RT/include -I$RT/src"
  for g in "${GRAMMARS[@]}"; do
    set -- $g
    src="$CACHE/pkgs/$2"
    [ -f "$src/parser.c" ] || fail "missing $src/parser.c"
    echo "$src/parser.c|$OBJ/$1_parser.o|-I$src"
    if [ -f "$src/scanner.c" ]; then echo "$src/scanner.c|$OBJ/$1_scanner.o|-I$src"; fi
  done
} > "$OBJ/units.txt"

# -O3 -DNDEBUG -fvisibility=hidden (as tree-sitter's own builds): 12-17 % more MB/s per core than -O2 with asserts on
# (cgr bench, CodeSearchNet files of six languages); api.h and the grammars' TS_PUBLIC keep the entry points exported.
echo "cgr-native: compiling $(wc -l < "$OBJ/units.txt") units with $CC"
export CC
# shellcheck disable=SC2016
xargs -P 2 -d '\n' -n 1 bash -c 'IFS="|" read -r src obj inc <<< "$1"; $CC -O3 -DNDEBUG -fvisibility=hidden -fPIC $inc -c "$src" -o "$obj" || { echo "error CGRNATIVE: $CC failed on $src" >&2; exit 255; }' _ < "$OBJ/units.txt" \
  || fail "compilation failed (see the compiler output above)"

# (c) link one shared library, then move it into place atomically.
mkdir -p "$(dirname "$OUT")"
"$CC" -shared -o "$OUT.partial" "$OBJ"/*.o || fail "linking $OUT failed"
mv -f "$OUT.partial" "$OUT"
echo "cgr-native: built $OUT"
