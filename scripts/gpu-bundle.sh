#!/usr/bin/env bash
# Builds gpu-bundle/ (git-ignored): everything scripts/gpu-check.sh needs on a GPU machine that has no Java and no
# network: a jlinked JRE, uff4j.jar with its runtime jars, the test classes and the JUnit console launcher, MNIST
# (gzipped), the JMH benchmarks jar when it builds, the PyTorch reference and the check script itself.
#
# Usage (from anywhere; it works in the checkout that holds it): scripts/gpu-bundle.sh
# Then, with the device tool: carry ["gpu-bundle"], command `bash gpu-bundle/gpu-check.sh`.
#
# Environment: GPU_BUNDLE_SKIP_JMH=1 leaves the benchmarks jar out; UFF4J_DATA as for uff4j (else data/);
# GPU_BUNDLE_SLIM=0 keeps every JNI library of the CUDA presets (by default only cudart's and cuBLAS's stay);
# GPU_BUNDLE_ALLOW_NO_KERNELS=1 goes on when the jar has no CUDA kernels (nvcc missing), which is else an error.
# The bundle must stay under 60 MiB: the device machine takes at most 64 MiB, the checkout's files included.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/gpu-bundle"
limit_mib=60
# java.logging: JUnit's and picocli's logging; java.management and jdk.management: JMH, JavaCPP's optional MXBean
# and the tests that count allocations (com.sun.management.ThreadMXBean); jdk.unsupported: JavaCPP's Unsafe.
modules=java.base,jdk.unsupported,jdk.incubator.vector,java.logging,java.management,jdk.management
# The JUnit Platform release that goes with junit-jupiter 5.14.4; the fallback is taken from ~/.m2 when Maven
# cannot resolve the first.
junit_platform=1.14.4
junit_platform_fallback=1.14.1
# JNI libraries of the CUDA presets that uff4j loads; the other 25 (NPP, cuDNN, cuSPARSE, ...) are dropped.
keep_jni="libjnicudart.so libjnicublas.so"

# Maven quiet and in batch mode; its stray colour resets (ESC[0m, printed even so) are filtered out.
mvn_quiet() { mvn -B -q "$@" 2>&1 | sed 's/\x1b\[0m//g' >&2; }
say() { echo "gpu-bundle: $*" >&2; }
die() { say "error: $*"; exit 1; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

for tool in java jlink mvn gzip python3; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not on the PATH"
done

rm -rf "$out"
mkdir -p "$out/lib" "$out/junit" "$out/data/mnist"

# --- data: MNIST's four raw IDX files, gzipped (55 MB raw, about 11 MB gzipped) ------------------------------
data_dir="${UFF4J_DATA:-$root/data}"
mnist_files="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
for f in $mnist_files; do
  if [ ! -f "$data_dir/mnist/$f" ]; then
    say "MNIST is missing from $data_dir/mnist; fetching it"
    scripts/fetch-data.sh --dataset mnist --data "$data_dir"
    break
  fi
done
for f in $mnist_files; do
  gzip -9 -c "$data_dir/mnist/$f" >"$out/data/mnist/$f.gz"
done

# --- uff4j: jar, runtime jars, test classes; installed so the benchmarks project can build against it --------
say "building uff4j (mvn install, tests skipped)"
mvn_quiet -DskipTests install || die "the build failed (run 'mvn -DskipTests install' to see why)"
mvn_quiet -f native/pom.xml install || die "native/pom.xml (the CUDA presets) did not install"
[ -f target/uff4j.jar ] || die "target/uff4j.jar is missing after the build"
[ -d target/test-classes ] || die "target/test-classes is missing after the build"
if ! python3 - target/uff4j.jar <<'EOF'
import sys, zipfile
sys.exit(0 if any(n.endswith("uff4j.fatbin") for n in zipfile.ZipFile(sys.argv[1]).namelist()) else 1)
EOF
then
  msg="target/uff4j.jar holds no uff4j.fatbin (nvcc missing or not run): the cuda backend would have no kernels"
  if [ "${GPU_BUNDLE_ALLOW_NO_KERNELS:-0}" = 1 ]; then
    say "warning: $msg"
  else
    die "$msg (GPU_BUNDLE_ALLOW_NO_KERNELS=1 goes on without them)"
  fi
fi
cp target/uff4j.jar "$out/uff4j.jar"
cp -r target/test-classes "$out/test-classes"

# Only the jars the manifest names (target/lib can hold stale ones from older builds).
class_path=$(python3 - target/uff4j.jar <<'EOF'
import sys, zipfile
text = zipfile.ZipFile(sys.argv[1]).read("META-INF/MANIFEST.MF").decode()
lines, value = text.replace("\r\n", "\n").split("\n"), None
for line in lines:
    if line.startswith("Class-Path:"):
        value = line[len("Class-Path:"):]
    elif value is not None and line.startswith(" "):
        value += line[1:]
    elif value is not None:
        break
print(" ".join((value or "").split()))
EOF
)
[ -n "$class_path" ] || die "target/uff4j.jar's manifest has no Class-Path"
for entry in $class_path; do
  case "$entry" in
    lib/*) [ -f "target/$entry" ] || die "target/$entry (named by the jar's manifest) is missing"
           cp "target/$entry" "$out/$entry" ;;
    *) die "unexpected manifest Class-Path entry '$entry' (expected lib/...)" ;;
  esac
done

# The CUDA presets' native jar holds 27 JNI libraries (5 MB); uff4j loads only cudart's and cuBLAS's. Repack it
# under the same name with the other libraries (and their native-image metadata) left out.
if [ "${GPU_BUNDLE_SLIM:-1}" != 0 ]; then
  for jar in "$out"/lib/cuda-*-linux-x86_64.jar; do
    [ -f "$jar" ] || continue
    before=$(stat -c %s "$jar")
    python3 - "$jar" $keep_jni <<'EOF'
import os, sys, zipfile
path, keep = sys.argv[1], set(sys.argv[2:])
prefix = "org/bytedeco/cuda/linux-x86_64/"
tmp = path + ".tmp"
kept = []
with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        name = info.filename
        if name.startswith(prefix) and not name.endswith("/") and os.path.basename(name) not in keep:
            continue
        if name.startswith("META-INF/native-image/"):
            continue
        dst.writestr(info, src.read(name), zipfile.ZIP_DEFLATED)
        if name.startswith(prefix) and name.endswith(".so"):
            kept.append(os.path.basename(name))
missing = keep - set(kept)
if missing:
    os.remove(tmp)
    sys.exit("gpu-bundle: error: %s lacks %s" % (path, ", ".join(sorted(missing))))
os.replace(tmp, path)
EOF
    say "slimmed $(basename "$jar"): $(mib "$before") MiB -> $(mib "$(stat -c %s "$jar")") MiB (kept $keep_jni)"
  done
fi

# --- JUnit console launcher ---------------------------------------------------------------------------------
launcher=""
for version in $junit_platform $junit_platform_fallback; do
  name="junit-platform-console-standalone-$version.jar"
  artifact="org.junit.platform:junit-platform-console-standalone:$version"
  if mvn -B -q dependency:copy -Dartifact="$artifact" -DoutputDirectory="$out/junit" >/dev/null 2>&1 \
      && [ -f "$out/junit/$name" ]; then
    launcher=$name
    break
  fi
  local_copy="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$version/$name"
  if [ -f "$local_copy" ]; then
    cp "$local_copy" "$out/junit/$name"
    launcher=$name
    break
  fi
  say "warning: junit-platform-console-standalone $version could not be resolved"
done
[ -n "$launcher" ] || die "no JUnit console launcher (tried $junit_platform and $junit_platform_fallback)"
[ "$launcher" = "junit-platform-console-standalone-$junit_platform.jar" ] \
  || say "warning: using $launcher, not the platform release $junit_platform that matches junit-jupiter 5.14.4"

# --- JMH benchmarks (optional: skipped with a warning when they do not build) ---------------------------------
if [ "${GPU_BUNDLE_SKIP_JMH:-0}" = 1 ]; then
  say "skipping the JMH benchmarks (GPU_BUNDLE_SKIP_JMH=1)"
elif mvn_quiet -f benchmarks/pom.xml -DskipTests package && [ -f benchmarks/target/benchmarks.jar ]; then
  # The uber-jar repeats uff4j and its runtime jars, the CUDA presets' JNI libraries included. The bundle has
  # those already: keep JMH, its dependencies and the benchmarks only, and run it with uff4j.jar and lib/ on
  # the class path (gpu-check.sh does; JMH's forks inherit the class path).
  python3 - benchmarks/target/benchmarks.jar "$out/benchmarks.jar" "$out/uff4j.jar" "$out"/lib/*.jar <<'EOF'
import sys, zipfile
src_path, dst_path, provided = sys.argv[1], sys.argv[2], sys.argv[3:]
have = set()
for jar in provided:
    have.update(n for n in zipfile.ZipFile(jar).namelist() if not n.endswith("/") and not n.startswith("META-INF/"))
with zipfile.ZipFile(src_path) as src, zipfile.ZipFile(dst_path, "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        name = info.filename
        if name in have or name.startswith("org/bytedeco/") or name.startswith("META-INF/native-image/"):
            continue
        dst.writestr(info, src.read(name), zipfile.ZIP_DEFLATED)
EOF
  say "benchmarks.jar: $(mib "$(stat -c %s benchmarks/target/benchmarks.jar)") MiB built, \
$(mib "$(stat -c %s "$out/benchmarks.jar")") MiB without the classes the bundle already has"
else
  say "warning: the JMH benchmarks did not build; the bundle has no benchmarks.jar (gpu-check.sh skips JMH)"
fi

# --- a Java runtime for a machine without one ----------------------------------------------------------------
say "jlink: $modules"
jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 --output "$out/jre" 2>&1 \
  | grep -v 'WARNING: Using incubator modules' >&2 || true
# The JDK's native libraries keep their symbol tables; dropping them (the dynamic symbols stay) saves about 4 MiB.
if command -v strip >/dev/null 2>&1; then
  find "$out/jre" -name '*.so' -exec strip --strip-unneeded {} +
fi
[ -x "$out/jre/bin/java" ] || die "jlink did not make $out/jre"
"$out/jre/bin/java" --add-modules jdk.incubator.vector -jar "$out/uff4j.jar" --version >/dev/null 2>&1 \
  || die "the bundled JRE cannot run uff4j.jar ($out/jre/bin/java -jar $out/uff4j.jar --version)"

# --- the check itself ------------------------------------------------------------------------------------------
cp scripts/gpu-check.sh "$out/gpu-check.sh"
cp benchmarks/pytorch_uff.py "$out/pytorch_uff.py"
{
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "uncommitted changes (git status --short):"
  git status --short 2>/dev/null | sed 's/^/  /'
  echo "java used to build: $(java -version 2>&1 | head -1)"
  echo "jlink modules: $modules"
  echo "junit console: $launcher"
} >"$out/BUILD-INFO.txt"

# --- size ----------------------------------------------------------------------------------------------------
total=$(du -sb "$out" | cut -f1)
tree=$(git ls-files -z --cached --others --exclude-standard 2>/dev/null \
  | xargs -0 -r stat -c %s 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
say "contents:"
(cd "$out" && du -sb jre lib junit test-classes data uff4j.jar benchmarks.jar 2>/dev/null \
  | awk '{ printf "  %-16s %6.1f MiB\n", $2, $1 / 1048576 }') >&2
say "total $(mib "$total") MiB in $out (limit $limit_mib MiB); the checkout's other files that travel: $(mib "$tree") MiB"
if [ "$total" -gt $((limit_mib * 1048576)) ]; then
  die "the bundle is $(mib "$total") MiB, over the $limit_mib MiB limit"
fi
echo "gpu-bundle: ready; run it with the device tool: carry [\"gpu-bundle\"], command 'bash gpu-bundle/gpu-check.sh'"
