#!/usr/bin/env bash
# Cluster benchmark: indexing throughput with 1 silo process (all roles) vs 3 (2 indexer+query, 1 embedder) on this
# machine, and failover: the same sync with one indexer silo killed (SIGKILL) part-way through.
# Usage: scripts/bench-cluster.sh [corpus-dir]   (default: this repository's src/). Needs redis-server on PATH.
# CGR_BENCH_RUNS="scale failover" (default) picks the parts; CGR_BENCH_KILL_AFTER (seconds, default 10) the kill time.
# CGR_BENCH_RUNS=fleet: the fleet of `cgr bench --fleet` (CGR_BENCH_FLEET repositories, default 30, CGR_BENCH_FLEET_FILES
# files each at most, default 30) built and indexed in-process once (the oracle), then registered and synced through
# 3 silos (4 clients at a time over the two indexer silos) with one indexer silo SIGKILLed once CGR_BENCH_FLEET_KILL_AT
# repositories (default a third) completed; a client that lost its silo retries against the survivor. Checks: every
# repository completed, chunks equal to the oracle's, syncs that indexed files per repository, silo CPU seconds, and
# each silo's roles and grain activations (`cgr status --cluster`) before the kill and at the end.
# CGR_BENCH_FLEET_SYNTHETIC=1: the silos give documents synthetic vectors (`cgr serve --doc-vectors synthetic`, as the
# in-process oracle does), so the run measures indexing and placement instead of the embedder's CPU time.
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
  CodeGraphRag__Cluster__AdvertisedAddress=127.0.0.1 CodeGraphRag__Server__AllowedRoots="${allowed_roots:-$corpus}" Logging__LogLevel__Default=Warning \
    dotnet "$cgr_dll" serve ${serve_args:-} >"$work/silo-$grpc.log" 2>&1 &
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

if [[ " $runs " == *" fleet "* ]]; then
n="${CGR_BENCH_FLEET:-30}"
src="$work/fleet-src"
dotnet "$cgr_dll" bench --fleet "$n" --files "${CGR_BENCH_FLEET_FILES:-30}" --doc-vectors synthetic --embed 0 --queries 1 --data-dir "$src" >"$work/fleet-bench.log" 2>&1
grep -E '^fleet: [0-9]+ repositories from|^fleet cold index' "$work/fleet-bench.log"
trees="$src/fleet/trees"
# Bases first, then forks (as the in-process bench): fork names are '<base>-fork<k>'.
ls "$trees" | grep -v -- '-fork' > "$work/fleet-order"; ls "$trees" | grep -- '-fork' >> "$work/fleet-order" || true
allowed_roots="$trees"
[ "${CGR_BENCH_FLEET_SYNTHETIC:-0}" = 1 ] && serve_args="--doc-vectors synthetic" && echo "silos: synthetic document vectors"
read -r pa ga < <(start_silo fleet "$work/fleet" indexer,query)
read -r pb gb < <(start_silo fleet "$work/fleet" indexer,query)
read -r pe ge < <(start_silo fleet "$work/fleet" embedder)
mkdir -p "$work/fleet-logs"
# fleet_one <repo> <index>: one client per repository, even ones on silo a, odd ones on silo b; on failure (its silo
# killed) it retries on silo b, the one never killed. Each attempt's output goes to <repo>.<attempt>.log.
cat > "$work/fleet-one.sh" <<EOS
#!/usr/bin/env bash
repo="\$1"; i="\$2"; port=\$(( i % 2 == 0 ? $ga : $gb ))
for attempt in 1 2 3; do
  if dotnet "$cgr_dll" index "$trees/\$repo" --name "\$repo" --plain --server "http://127.0.0.1:\$port" >"$work/fleet-logs/\$repo.\$attempt.log" 2>&1; then
    echo "\$repo" >> "$work/fleet-done"; exit 0
  fi
  port=$gb; sleep 2
done
echo "\$repo" >> "$work/fleet-failed"
EOS
chmod +x "$work/fleet-one.sh"; : > "$work/fleet-done"
cpu() { awk '{printf "%.1f", ($14+$15)/100}' "/proc/$1/stat" 2>/dev/null || echo gone; }
start=$(date +%s.%N)
awk '{print $1, NR}' "$work/fleet-order" | xargs -P 4 -n 2 "$work/fleet-one.sh" &
clients=$!
kill_at="${CGR_BENCH_FLEET_KILL_AT:-$(( n / 3 ))}"
while [ "$(wc -l < "$work/fleet-done")" -lt "$kill_at" ] && kill -0 "$clients" 2>/dev/null; do sleep 0.2; done
cpu_a=$(cpu "$pa"); cpu_b_kill=$(cpu "$pb")
# Where the grains are (ClusterStatus RPC): the repositories' and files' grains spread over both indexer silos.
dotnet "$cgr_dll" status --cluster --server "http://127.0.0.1:$gb" 2>&1 | sed -n 's/^/before the kill: /p' | grep -v 'server:'
kill -9 "$pa"
killed=$(date +%s.%N)
done_at_kill=$(wc -l < "$work/fleet-done")
wait "$clients" || true
end=$(date +%s.%N)
echo "fleet through 3 silos: $n repositories; indexer silo a SIGKILLed at $(python3 -c "print(f'{$killed-$start:.1f}')") s after $done_at_kill completed; all clients done at $(python3 -c "print(f'{$end-$start:.1f}')") s"
dotnet "$cgr_dll" status --cluster --server "http://127.0.0.1:$gb" 2>&1 | sed -n 's/^/at the end: /p' | grep -v 'server:'
echo "silo CPU seconds: indexer a $cpu_a (at its kill), indexer b $cpu_b_kill at the kill and $(cpu "$pb") at the end, embedder $(cpu "$pe")"
retried=$(ls "$work/fleet-logs" | grep -c '\.2\.log$' || true)
echo "client retries (a client lost its silo and synced again on b): $retried; failed after 3 attempts: $(cat "$work/fleet-failed" 2>/dev/null | wc -l)"
# One status listing from the cluster (through the survivor) and one from the oracle's data directory, compared per
# repository with the client logs: completed syncs are client attempts that ended with the summary line ('  files: X
# indexed, ...'; a killed silo's attempt ends with an error instead), and X below the repository's files means the
# completing sync resumed one the killed silo had started.
dotnet "$cgr_dll" status --server "http://127.0.0.1:$gb" >"$work/status-cluster.txt" 2>&1
dotnet "$cgr_dll" status --data-dir "$src" >"$work/status-oracle.txt" 2>&1
python3 - "$work" "$n" "$start" "$end" <<'EOPY'
import os, re, sys
work, n, start, end = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
def blocks(path):
    result, name = {}, None
    for line in open(path, encoding="utf-8", errors="replace"):
        head = re.match(r"^(\S+)  \(", line)
        if head:
            name = head.group(1); result[name] = {"text": ""}
        elif name:
            result[name]["text"] += line
            m = re.match(r"^  files: (\d+) indexed", line)
            if m: result[name]["files"] = m.group(1)
            m = re.match(r"^  chunks: (\d+)", line)
            if m: result[name]["chunks"] = m.group(1)
    return result
got, want = blocks(f"{work}/status-cluster.txt"), blocks(f"{work}/status-oracle.txt")
ok = bad = chunks = resumed = 0
for repo in open(f"{work}/fleet-order").read().split():
    logs = [open(f"{work}/fleet-logs/{f}", errors="replace").read() for f in sorted(os.listdir(f"{work}/fleet-logs")) if f.startswith(repo + ".") and f[len(repo) + 1:-4].isdigit()]
    indexed = [m for log in logs for m in re.findall(r"^  files: (\d+) indexed", log, re.M)]
    g, w = got.get(repo, {}), want.get(repo, {})
    if indexed and indexed[-1] != w.get("files"): resumed += 1
    completed_ok = re.search(r"last sync: \d", g.get("text", "")) and "has not completed" not in g.get("text", "")
    if completed_ok and g.get("chunks") == w.get("chunks") and g.get("files") == w.get("files") and len(indexed) == 1:
        ok += 1; chunks += int(g["chunks"])
    else:
        bad += 1; print(f"MISMATCH {repo}: cluster chunks {g.get('chunks')} files {g.get('files')}, oracle chunks {w.get('chunks')} files {w.get('files')}, completed syncs {len(indexed)}")
print(f"check: {ok} of {n} repositories completed with the oracle's chunk and file counts and exactly one completed sync; {bad} not; {resumed} completed by a sync that indexed fewer files than the repository has (resumed); {chunks} chunks = {chunks / (end - start):.0f} chunks/s over the wall time")
EOPY
echo "last lines of one client log:"; tail -n 2 "$work/fleet-logs/$(head -n1 "$work/fleet-order").1.log"
fi
