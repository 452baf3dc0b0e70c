#!/usr/bin/env bash
# GPU embedding benchmark: the same chunks embedded by ONNX Runtime on CUDA and on the CPU, chunks/s side by side.
# Usage: scripts/bench-gpu.sh [corpus-dir] [chunks]     (defaults: this repository's src/, 4096 chunks)
# Needs: an NVIDIA GPU with its driver, the CUDA 13 libraries ORT's CUDA provider loads (cuBLAS, cuBLASLt, cuRAND,
# cudart, cuDNN 9) on the loader path, and the .NET 10 SDK to build the cuda flavour (-p:CgrOnnxFlavor=cuda).
# The anchor for this model shape (~22M parameters, 256 tokens) is ~40k chunks/s on one H200 in PyTorch fp16
# (../shared/reference/measured-here.md); record results with the machine and date in docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$(cd "${1:-$root/src}" && pwd)"
chunks="${2:-4096}"

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

cpu_out="$root/artifacts/cgr"
gpu_out="$root/artifacts/cgr-cuda"
"$root/cgr" --help >/dev/null
echo "bench-gpu: building the cuda flavour into $gpu_out" >&2
dotnet build "$root/src/CodeGraphRag.Cli/CodeGraphRag.Cli.csproj" -c Release -p:CgrOnnxFlavor=cuda -o "$gpu_out" --nologo -v quiet -clp:ErrorsOnly >&2

data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
echo "corpus: $corpus, $chunks chunks, $(date -u +%Y-%m-%d)"
echo "--- cuda"
CodeGraphRag__Embedding__Device=cuda CodeGraphRag__Embedding__BatchSize="${CGR_GPU_BATCH:-256}" dotnet "$gpu_out/cgr.dll" bench --corpus "$corpus" --embed "$chunks" --skip-index --data-dir "$data/gpu" | grep -E "^embedding"
echo "--- cpu (same chunks)"
dotnet "$cpu_out/cgr.dll" bench --corpus "$corpus" --embed "$chunks" --skip-index --data-dir "$data/cpu" | grep -E "^embedding"
