#!/usr/bin/env bash
# Runs the whole test suite the way CI does: fetches MNIST when it is missing (the real-data tests need it; with
# it present they may not skip), then runs every test. Extra arguments go to Maven, e.g. -Dtest=CliTest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin/uff4j data fetch --dataset mnist
mvn -B test -Duff4j.requireData=true "$@"
