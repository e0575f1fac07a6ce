#!/usr/bin/env bash
# uff4j against PyTorch on the CPU of this machine, side by side: builds uff4j and the benchmarks jar if needed,
# installs PyTorch (Debian's python3-torch, with OpenBLAS's OpenMP build) when the system python3 lacks it, fetches
# MNIST, then runs benchmarks/compare_cpu.py with the arguments given (default: ae, dae and bp, 3 cells of 500,
# batch 128, 2 and 1 threads, 5 alternating pairs of 3 epochs). Example, the whole grid of the docs:
#   scripts/compare-cpu.sh --models ae,dae,bp --cells 1,3 --hidden 500,1000 --batch 128,512 --threads 1,2
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
py=/usr/bin/python3
if ! "$py" -c "import torch" 2>/dev/null; then
  echo "compare-cpu.sh: installing python3-torch and libopenblas0-openmp with apt-get" >&2
  if [ "$(id -u)" -eq 0 ]; then apt=(apt-get); else apt=(sudo apt-get); fi
  "${apt[@]}" install -y -q python3-torch libopenblas0-openmp >&2
fi
if [ ! -f target/uff4j.jar ] || [ ! -f benchmarks/target/benchmarks.jar ]; then
  mvn -q -B -DskipTests install
  mvn -q -B -f benchmarks/pom.xml -DskipTests package
fi
bin/uff4j data fetch --dataset mnist >&2
exec "$py" benchmarks/compare_cpu.py --python "$py" "$@"
