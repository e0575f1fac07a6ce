#!/usr/bin/env bash
# Runs the whole test suite the way CI does: fetches MNIST when it is missing (the real-data tests need it; with
# -Duff4j.requireData=true they fail rather than skip without it), tries Fashion-MNIST too (its tests skip, with the
# reason, when apt cannot reach the package), then runs every test. Extra arguments go to Maven, e.g. -Dtest=CliTest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin/uff4j data fetch --dataset mnist
bin/uff4j data fetch --dataset fashion-mnist \
  || echo "scripts/test.sh: Fashion-MNIST could not be fetched; its tests will be skipped" >&2
mvn -B test -Duff4j.requireData=true "$@"
