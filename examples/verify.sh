#!/usr/bin/env bash
# Builds and tests the examples as a user's projects, against the installed library (scripts/test.sh installs it
# and native/ first):
#   1. the basic example depends on dev.uff4j:uff4j alone at run time (mvn dependency:list), and with -Pcuda on the
#      presets too;
#   2. every example builds and its tests pass (they train on MNIST in ../data);
#   3. with -Pcuda the CUDA backend is found at run time (auto then takes the GPU where there is one).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

runtime_deps() { # the resolved runtime dependencies of the basic example, one groupId:artifactId per line
  local out="$PWD/basic/target/runtime-dependencies.txt"
  rm -f "$out"
  mvn -B -q -f basic/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list -DincludeScope=runtime \
    -DoutputFile="$out" "$@" >/dev/null
  grep -Eo '^ +[^ :]+:[^ :]+' "$out" | tr -d ' ' | sort
}

deps=$(runtime_deps)
if [ "$deps" != "dev.uff4j:uff4j" ]; then
  echo "examples/verify.sh: dev.uff4j:uff4j should be the only runtime dependency, found:" >&2
  echo "$deps" >&2
  exit 1
fi
echo "examples: runtime dependencies of a uff4j consumer: $deps"
cuda_deps=$(runtime_deps -Pcuda | sort -u | tr '\n' ' ')
for want in dev.uff4j:uff4j org.bytedeco:cuda org.bytedeco:javacpp; do
  case " $cuda_deps " in *" $want "*) ;; *) echo "examples/verify.sh: -Pcuda lacks $want: $cuda_deps" >&2; exit 1;; esac
done
echo "examples: with dev.uff4j:uff4j-cuda: $cuda_deps"

mvn -B -f pom.xml verify
mvn -B -q -f basic/pom.xml test -Pcuda -Dtest='ExamplesTest#theGpuBackendIsFoundExactlyWhenThePresetsAreThere'
echo "examples: built and tested; the CUDA backend is found when the presets are there"
