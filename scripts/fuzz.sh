#!/usr/bin/env bash
# Fuzzes the code that reads untrusted input (tests/CodeGraphRag.Fuzz): file decoding, secret redaction, parsing and
# chunking per language, query filters and mentions, eval JSONL, webhook verification, Milvus and Neo4j answers.
# Usage: scripts/fuzz.sh <seconds-per-target> [target ...]
#   Each target first replays its saved inputs (tests/fixtures/fuzz/<target>/: seeds, and found-* inputs of past finds),
#   then runs mutations of them for the given time. A crashing input is saved under artifacts/fuzz/<target>/ (or
#   $CGR_FUZZ_FOUND); copy it to tests/fixtures/fuzz/<target>/found-<what> with a regression test once fixed.
#   CGR_FUZZ_SEED fixes the random seed; CGR_FUZZ_CONFIGURATION=Debug reuses a test build (CI). Last line: "fuzz: N targets, N executions, N crashes"; exit 1 on a crash.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 1 ]; then
  echo "usage: scripts/fuzz.sh <seconds-per-target> [target ...]" >&2
  exit 2
fi

dotnet build "$root/tests/CodeGraphRag.Fuzz" -c "${CGR_FUZZ_CONFIGURATION:-Release}" --nologo -v quiet -clp:ErrorsOnly -o "$root/artifacts/fuzz-bin" >&2
found="${CGR_FUZZ_FOUND:-$root/artifacts/fuzz}"
mkdir -p "$found"
exec dotnet "$root/artifacts/fuzz-bin/CodeGraphRag.Fuzz.dll" "$1" "$root/tests/fixtures/fuzz" "$found" "${@:2}"
