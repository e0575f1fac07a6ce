#!/usr/bin/env bash
# Compiles src/main/cuda/uff4j.cu (which includes one .cu file per concern) into one fatbin: machine code (SASS) for
# sm_80 (A100) and sm_90 (H100/H200) and PTX for compute_90, so newer GPUs JIT-compile it. Warnings are errors.
# Called by Maven (process-resources) with the output folder; without nvcc on the PATH it says so and succeeds,
# and the CUDA backend then reports that the kernels were not built.
set -euo pipefail
out_dir=${1:?usage: build-kernels.sh OUTPUT_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/src/main/cuda"
out="$out_dir/uff4j.fatbin"
nvcc=${NVCC:-nvcc}
if ! command -v "$nvcc" >/dev/null 2>&1; then
    echo "build-kernels: nvcc is not on the PATH; building without CUDA kernels (the cuda backend will say so)"
    rm -f "$out"
    exit 0
fi
mkdir -p "$out_dir"
if [[ -f "$out" && -z "$(find "$src" -newer "$out" -type f)" && "$out" -nt "$0" ]]; then
    exit 0 # up to date
fi
# -fmad=false: no fused multiply-add contraction, so element-wise kernels round like the Java reference.
"$nvcc" -fatbin -O3 -std=c++17 -fmad=false -Werror all-warnings -Xptxas -Werror \
    -gencode arch=compute_80,code=sm_80 \
    -gencode arch=compute_90,code=sm_90 \
    -gencode arch=compute_90,code=compute_90 \
    -o "$out.tmp" "$src/uff4j.cu"
mv "$out.tmp" "$out"
echo "build-kernels: $(basename "$out") ($(stat -c %s "$out") bytes) from $(ls "$src"/*.cu | wc -l) files"
