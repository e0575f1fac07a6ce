#!/usr/bin/env bash
# Runs every test the way CI does:
#   1. fetches MNIST when it is missing (the real-data tests need it; with -Duff4j.requireData=true they fail rather
#      than skip without it) and tries Fashion-MNIST (its tests skip, with the reason, when apt cannot reach it);
#   2. the library: its tests, then its javadoc with doclint (any warning fails), sources and install
#      (mvn install), and the CUDA presets' pom (native/);
#   3. the satellites built against the installed library: the JMH benchmarks build, the examples are built and
#      tested as a user's projects (examples/verify.sh), and the engines' tests run (engines/flink: the layer
#      pipeline on a Flink MiniCluster, with a TaskManager killed; engines/spark: federated averaging on local[2,2]).
# Extra arguments go to Maven and run only the library's tests, e.g. scripts/test.sh -Dtest=CliTest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin/uff4j data fetch --dataset mnist
bin/uff4j data fetch --dataset fashion-mnist \
  || echo "scripts/test.sh: Fashion-MNIST could not be fetched; its tests will be skipped" >&2
if [ $# -gt 0 ]; then
  exec mvn -B test -Duff4j.requireData=true "$@"
fi
mvn -B install -Duff4j.requireData=true
mvn -B -q -f native/pom.xml install
mvn -B -q -f benchmarks/pom.xml -DskipTests package
examples/verify.sh
mvn -B -f engines/flink/pom.xml verify
mvn -B -f engines/spark/pom.xml verify
echo "scripts/test.sh: the library, its javadoc, the benchmarks, the examples and the engines all passed"
