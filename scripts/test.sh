#!/usr/bin/env bash
# Runs every test project of the solution and ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# What the tests need from the system: a real Redis for the cluster and cache tests (their own redis-server unless
# CGR_REDIS_URL names one) and Chromium for the search page tests (unless CGR_CHROMIUM names one). Installed with apt-get
# when this machine can (root or passwordless sudo), else said before building anything.
need=()
[ -z "${CGR_REDIS_URL:-}" ] && ! command -v redis-server >/dev/null && need+=(redis-server)
[ -z "${CGR_CHROMIUM:-}" ] && ! command -v chromium >/dev/null && need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null && sudo="sudo -n"
  if command -v apt-get >/dev/null && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
    echo "installing ${need[*]} (the cluster and cache tests need a real Redis, the search page tests a browser)"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  for package in "${need[@]}"; do
    if ! command -v "$package" >/dev/null; then
      case "$package" in
        redis-server) echo "redis-server is not installed and could not be installed here: install it (Debian/Ubuntu: sudo apt-get install redis-server) or set CGR_REDIS_URL" ;;
        chromium) echo "chromium is not installed and could not be installed here: install it (Debian: sudo apt-get install chromium) or set CGR_CHROMIUM to a Chromium or Chrome executable" ;;
      esac
      echo "0 passed, 1 failed, 0 skipped"
      exit 1
    fi
  done
fi

dotnet build CodeGraphRag.sln -c Debug --nologo -v quiet -clp:ErrorsOnly
build_rc=$?
if [ $build_rc -ne 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# MTP prints one summary block per test project (total/failed/succeeded/skipped); sum them.
dotnet test --solution CodeGraphRag.sln -c Debug --no-build --no-progress "$@" 2>&1 | tee "$log"
test_rc=${PIPESTATUS[0]}

sum() { grep -E "^[[:space:]]*$1:[[:space:]]*[0-9]+" "$log" | sed -E 's/[^0-9]*([0-9]+).*/\1/' | awk '{s+=$1} END {print s+0}'; }
total=$(sum total); failed=$(sum failed); passed=$(sum succeeded); skipped=$(sum skipped)
if [ "$total" -eq 0 ]; then
  echo "no tests ran"
  failed=$((failed + 1))
  test_rc=1
fi
if [ $test_rc -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A crashed test host reports no summary of its own: count it as a failure rather than a silent pass.
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ $test_rc -eq 0 ]
