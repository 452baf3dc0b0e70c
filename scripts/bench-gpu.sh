#!/usr/bin/env bash
# GPU embedding benchmark: the same chunks embedded by ONNX Runtime on CUDA and on the CPU, chunks/s side by side.
# Usage: scripts/bench-gpu.sh [corpus-dir] [chunks] [cpu-chunks]
#   defaults: this repository's src/, 4096 chunks on CUDA, the first 512 of them on both CUDA and the CPU (a CPU takes
#   minutes for thousands of chunks, so the like-for-like comparison uses that shared prefix).
# Env: CGR_BIN=<a cgr built with -p:CgrOnnxFlavor=cuda>, e.g. a self-contained `dotnet publish -r linux-x64`, for GPU
#   hosts without the .NET SDK; the CPU figure then comes from the CPU provider of that same build. Without CGR_BIN the
#   script builds the cuda flavour, and the CPU figure comes from the default (CPU) build, ./cgr.
#   CGR_GPU_BATCHES="64 256" (texts per inference call on CUDA, one run each), CGR_BENCH_FILES (corpus files, 1000).
#   The fp32/fp16 run prints each precision's chunks/s and fp16's cosine agreement with fp32 on the same chunks.
# Needs: an NVIDIA GPU with its driver and the CUDA 13 libraries ORT's CUDA provider loads (cuBLAS, cuBLASLt, cuRAND,
# cudart, cuDNN 9) on the loader path. The anchor for this model shape (~22M parameters, 256 tokens) is ~40k chunks/s
# on one H200 in PyTorch fp16 (../shared/reference/measured-here.md); record results with machine and date in
# docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$(cd "${1:-$root/src}" && pwd)"
chunks="${2:-4096}"
cpu_chunks="${3:-512}"
files="${CGR_BENCH_FILES:-1000}"

missing=()
for lib in libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcurand.so.10 libcudnn.so.9; do
  found=""
  if ldconfig -p 2>/dev/null | grep -q " $lib "; then found=yes; fi
  if [ -z "$found" ]; then
    IFS=: read -r -a dirs <<< "${LD_LIBRARY_PATH:-}:/usr/local/cuda/lib64:/usr/local/cuda-13.0/targets/x86_64-linux/lib"
    for d in "${dirs[@]}"; do [ -n "$d" ] && [ -e "$d/$lib" ] && found=yes && break; done
  fi
  [ -z "$found" ] && missing+=("$lib")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench-gpu: missing CUDA libraries: ${missing[*]}"
  echo "bench-gpu: install the CUDA 13 runtime libraries (cuda-cudart, libcublas, libcurand) and cuDNN 9, or add their folder to LD_LIBRARY_PATH"
  exit 1
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader

if [ -n "${CGR_BIN:-}" ]; then
  gpu=("$CGR_BIN")
  cpu=("$CGR_BIN")
else
  gpu_out="$root/artifacts/cgr-cuda"
  "$root/cgr" --help >/dev/null
  echo "bench-gpu: building the cuda flavour into $gpu_out" >&2
  dotnet build "$root/src/CodeGraphRag.Cli/CodeGraphRag.Cli.csproj" -c Release -p:CgrOnnxFlavor=cuda -o "$gpu_out" --nologo -v quiet -clp:ErrorsOnly >&2
  gpu=(dotnet "$gpu_out/cgr.dll")
  cpu=(dotnet "$root/artifacts/cgr/cgr.dll")
fi

data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
# bench: one process per measurement (model load and CUDA start-up are outside the timed part); prints chunks/s.
bench() { # device batch count cgr...
  local device="$1" batch="$2" count="$3"; shift 3
  CodeGraphRag__Embedding__Device="$device" CodeGraphRag__Embedding__BatchSize="$batch" \
    "$@" bench --corpus "$corpus" --files "$files" --embed "$count" --skip-index --data-dir "$data/$device-$batch-$count" \
    | grep -E "^embedding" | tee /dev/stderr | sed -E 's/.*tokens\/chunk: ([0-9.]+) chunks\/s.*/\1/'
}
echo "corpus: $corpus ($files files at most), $(date -u +%Y-%m-%d)"
for batch in ${CGR_GPU_BATCHES:-64 256}; do
  echo "--- cuda, batch $batch, $chunks chunks"
  rate=$(bench cuda "$batch" "$chunks" "${gpu[@]}")
  awk -v r="$rate" 'BEGIN { printf "cuda batch %s: %.0f chunks/s = %.2fx the 40k chunks/s PyTorch fp16 anchor (256 tokens)\n", "'"$batch"'", r, r / 40000 }'
done
echo "--- cuda, fp32 against fp16 (fused attention, CodeGraphRag:Embedding:Precision), $chunks chunks, one process"
CodeGraphRag__Embedding__Device=cuda "${gpu[@]}" bench --corpus "$corpus" --files "$files" --embed "$chunks" --skip-index \
  --precision fp32,fp16 --data-dir "$data/precision" 2>&1 | grep -E "^embedding" || true
echo "--- same $cpu_chunks chunks on cuda and on the cpu"
gpu_rate=$(bench cuda 64 "$cpu_chunks" "${gpu[@]}")
cpu_rate=$(bench cpu 8 "$cpu_chunks" "${cpu[@]}")
awk -v g="$gpu_rate" -v c="$cpu_rate" 'BEGIN { printf "cuda %.0f chunks/s vs cpu %.1f chunks/s on the same %d chunks: %.0fx\n", g, c, '"$cpu_chunks"', g / c }'
