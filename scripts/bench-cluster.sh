#!/usr/bin/env bash
# Cluster benchmark: indexing throughput with 1 silo process (all roles) vs 3 (2 indexer+query, 1 embedder) on this
# machine, and failover: the same sync with one indexer silo killed (SIGKILL) part-way through.
# Usage: scripts/bench-cluster.sh [corpus-dir]   (default: this repository's src/). Needs redis-server on PATH.
# CGR_BENCH_RUNS="scale failover" (default) picks the parts; CGR_BENCH_KILL_AFTER (seconds, default 10) the kill time.
# Prints one line per run; record them in docs/benchmarks.md with the machine and date.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$(cd "${1:-$root/src}" && pwd)"
work="$(mktemp -d)"
# Silos start inside process substitutions (subshells), so their pids go to a file the cleanup reads.
cleanup() { [ -f "$work/pids" ] && while read -r p; do kill -9 "$p" 2>/dev/null || true; done < "$work/pids"; rm -rf "$work"; }
trap cleanup EXIT

"$root/cgr" --help >/dev/null          # builds when sources changed (errors go to stderr and stop here)
cgr_dll="$root/artifacts/cgr/cgr.dll"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$work/redis.pid" --logfile "$work/redis.log"
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
cat "$work/redis.pid" >> "$work/pids"

# start_silo <cluster-id> <data-dir> <roles> -> prints "pid grpc-port"
start_silo() {
  local grpc http
  grpc=$(free_port); http=$(free_port)
  CodeGraphRag__Cluster__Clustering=Redis CodeGraphRag__Cluster__ClusterId="$1" CodeGraphRag__Cluster__ServiceId="$1" \
  CodeGraphRag__Cluster__Roles="$3" CodeGraphRag__Storage__Redis__ConnectionString="127.0.0.1:$redis_port" \
  CodeGraphRag__Storage__Redis__KeyPrefix="$1" CodeGraphRag__Storage__Embedded__DataDirectory="$2" \
  CodeGraphRag__Server__GrpcPort="$grpc" CodeGraphRag__Server__HttpPort="$http" \
  CodeGraphRag__Cluster__SiloPort="$(free_port)" CodeGraphRag__Cluster__GatewayPort="$(free_port)" \
  CodeGraphRag__Cluster__AdvertisedAddress=127.0.0.1 CodeGraphRag__Server__AllowedRoots="$corpus" Logging__LogLevel__Default=Warning \
    dotnet "$cgr_dll" serve >"$work/silo-$grpc.log" 2>&1 &
  local pid=$!
  echo "$pid" >> "$work/pids"
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$http/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  echo "$pid $grpc"
}

index_time() { # <grpc-port> <name> -> seconds
  local start end
  start=$(date +%s.%N)
  dotnet "$cgr_dll" index "$corpus" --name "$2" --plain --server "http://127.0.0.1:$1" >"$work/index-$2.log" 2>&1
  end=$(date +%s.%N)
  python3 -c "print(f'{$end-$start:.1f}')"
}

files=$(find "$corpus" -type f -not -path '*/bin/*' -not -path '*/obj/*' | wc -l)
echo "corpus: $corpus ($files files), $(nproc) cores, $(date -u +%Y-%m-%d)"

runs="${CGR_BENCH_RUNS:-scale failover}"
if [[ " $runs " == *" scale "* ]]; then
read -r p1 g1 < <(start_silo one "$work/one" indexer,query,embedder)
echo "1 silo (all roles):                 $(index_time "$g1" corpus) s"
kill -9 "$p1"

read -r _ ga < <(start_silo three "$work/three" indexer,query)
read -r _ gb < <(start_silo three "$work/three" indexer,query)
read -r _ ge < <(start_silo three "$work/three" embedder)
echo "3 silos (2 indexer+query, 1 embedder): $(index_time "$ga" corpus) s"
fi

if [[ " $runs " == *" failover "* ]]; then

read -r pa ga < <(start_silo failover "$work/failover" indexer,query)
read -r _ gb < <(start_silo failover "$work/failover" indexer,query)
read -r _ ge < <(start_silo failover "$work/failover" embedder)
start=$(date +%s.%N)
dotnet "$cgr_dll" index "$corpus" --name corpus --plain --server "http://127.0.0.1:$gb" >"$work/failover.log" 2>&1 &
client=$!
sleep "${CGR_BENCH_KILL_AFTER:-10}"
kill -9 "$pa"
killed=$(date +%s.%N)
wait "$client"
end=$(date +%s.%N)
python3 -c "print(f'3 silos, one indexer killed at {$killed-$start:.1f} s: sync completed at {$end-$start:.1f} s ({$end-$killed:.1f} s after the kill)')"
tail -n 3 "$work/failover.log"
fi
