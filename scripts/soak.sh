#!/usr/bin/env bash
# Sustained load (issue 17): a local cluster on loopback with API-key auth (Redis, 2 indexer+query silos, 1 embedder
# silo), a copy of the corpus indexed through the server, then <seconds> of queries from several clients while that copy
# is edited and re-synced round after round, and one indexer+query silo is killed (SIGKILL) part-way and restarted with
# the same configuration. The load driver is scripts/soak.cs; it prints details, then one line
#   soak: N requests, N errors, p95 N ms, rss start N MB end N MB
# and the script exits non-zero when there were errors (UNAVAILABLE calls in the killed silo's window are not errors).
# Usage: scripts/soak.sh <seconds> [corpus-dir]   (default corpus: this repository's src/). Needs redis-server on PATH.
# CGR_SOAK_CLIENTS (8), CGR_SOAK_KILL_AFTER (seconds into the load, default a third of it), CGR_SOAK_GRACE (30 s after
# the restarted silo is ready), CGR_SOAK_KEEP=1 keeps the work folder (silo logs, events) and prints where it is.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:?usage: scripts/soak.sh <seconds> [corpus-dir]}"
corpus="$(cd "${2:-$root/src}" && pwd)"
work="$(mktemp -d)"
cleanup() {
  [ -f "$work/pids" ] && while read -r p; do kill -9 "$p" 2>/dev/null || true; done < "$work/pids"
  if [ "${CGR_SOAK_KEEP:-}" = 1 ]; then echo "soak: work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

"$root/cgr" --help >/dev/null          # builds when sources changed (errors go to stderr and stop here)
dotnet build -c Release "$root/scripts/soak.cs" --nologo -v quiet -clp:ErrorsOnly >&2
cgr_dll="$root/artifacts/cgr/cgr.dll"
# A free port below the kernel's ephemeral range (outgoing connections cannot take it before a silo binds it, or while a
# killed silo's ports wait for its restart), never one handed out before in this run.
free_port() {
  python3 - "$work/ports" <<'PY'
import random, socket, sys
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
try:
    used = set(open(sys.argv[1]).read().split())
except FileNotFoundError:
    used = set()
while True:
    port = random.randint(10000, low - 1)
    if str(port) in used:
        continue
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    open(sys.argv[1], "a").write(f"{port}\n")
    print(port)
    break
PY
}
now_ms() { date +%s%3N; }

# The tree the server indexes is a copy (the driver edits it): a git checkout's tracked files, else the whole folder.
tree="$work/tree"
mkdir -p "$tree"
if git -C "$corpus" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$corpus" ls-files -z | tar -C "$corpus" --null -T - -cf - | tar -C "$tree" -xf -
else
  cp -a "$corpus/." "$tree"
fi

admin_key=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
read_key=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$work/redis.pid" --logfile "$work/redis.log"
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
cat "$work/redis.pid" >> "$work/pids"

# start_silo <name> <roles> <grpc> <http> <silo> <gateway> -> prints the pid once /health/ready answers
start_silo() {
  CodeGraphRag__Cluster__Clustering=Redis CodeGraphRag__Cluster__ClusterId=soak CodeGraphRag__Cluster__ServiceId=soak \
  CodeGraphRag__Cluster__Roles="$2" CodeGraphRag__Storage__Redis__ConnectionString="127.0.0.1:$redis_port" \
  CodeGraphRag__Storage__Redis__KeyPrefix=soak CodeGraphRag__Storage__Embedded__DataDirectory="$work/data" \
  CodeGraphRag__Server__GrpcPort="$3" CodeGraphRag__Server__HttpPort="$4" \
  CodeGraphRag__Cluster__SiloPort="$5" CodeGraphRag__Cluster__GatewayPort="$6" \
  CodeGraphRag__Cluster__AdvertisedAddress=127.0.0.1 CodeGraphRag__Server__AllowedRoots="$tree" \
  CodeGraphRag__Auth__Mode=ApiKey CodeGraphRag__Auth__AdminGroup=admins \
  CodeGraphRag__Auth__ApiKeys__0__Key="$admin_key" CodeGraphRag__Auth__ApiKeys__0__Principal=soak-admin CodeGraphRag__Auth__ApiKeys__0__Groups=admins \
  CodeGraphRag__Auth__ApiKeys__1__Key="$read_key" CodeGraphRag__Auth__ApiKeys__1__Principal=soak-reader CodeGraphRag__Auth__ApiKeys__1__Groups=readers \
  Logging__LogLevel__Default=Warning Logging__Console__TimestampFormat='yyyy-MM-ddTHH:mm:ss.fffZ ' Logging__Console__UseUtcTimestamp=true \
    dotnet "$cgr_dll" serve >>"$work/silo-$1.log" 2>&1 &
  local pid=$!
  echo "$pid" >> "$work/pids"
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$4/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fs "http://127.0.0.1:$4/health/ready" >/dev/null || { echo "soak: silo $1 did not become ready; its log:" >&2; tail -n 20 "$work/silo-$1.log" >&2; exit 1; }
  echo "$pid"
}

read -r ga ha sa wa <<<"$(free_port) $(free_port) $(free_port) $(free_port)"
read -r gb hb sb wb <<<"$(free_port) $(free_port) $(free_port) $(free_port)"
pid_a=$(start_silo a indexer,query "$ga" "$ha" "$sa" "$wa")
pid_b=$(start_silo b indexer,query "$gb" "$hb" "$sb" "$wb")
pid_e=$(start_silo e embedder "$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)")

files=$(find "$tree" -type f | wc -l)
echo "soak: corpus $corpus ($files files), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
index_start=$(now_ms)
dotnet "$cgr_dll" index "$tree" --name soak --plain --server "http://127.0.0.1:$gb" --api-key "$admin_key" >"$work/index.log" 2>&1 \
  || { echo "soak: the initial index failed:" >&2; tail -n 5 "$work/index.log" >&2; exit 1; }
echo "soak: indexed in $(( ($(now_ms) - index_start) / 1000 )) s: $(tail -n 1 "$work/index.log")"

events="$work/events"
: > "$events"
kill_after="${CGR_SOAK_KILL_AFTER:-$(( seconds / 3 ))}"
(
  # Counted from the start of the timed phase (after the driver's warm-up).
  until grep -q '^start' "$events"; do sleep 0.2; done
  sleep "$kill_after"
  kill -9 "$pid_a"
  echo "kill $(now_ms)" >> "$events"
  start_silo a indexer,query "$ga" "$ha" "$sa" "$wa" >/dev/null
  echo "ready $(now_ms)" >> "$events"
) &
chaos=$!

status=0
dotnet run --no-build -c Release "$root/scripts/soak.cs" -- --servers "http://127.0.0.1:$ga,http://127.0.0.1:$gb" \
  --read-key "$read_key" --admin-key "$admin_key" --repository soak --tree "$tree" --seconds "$seconds" --events "$events" \
  --pids "$pid_b,$pid_e" --clients "${CGR_SOAK_CLIENTS:-8}" --grace "${CGR_SOAK_GRACE:-30}" || status=$?
kill "$chaos" 2>/dev/null || true
exit "$status"
