#!/usr/bin/env bash
# The GPU check: runs on the device machine (no Java, no network) from the folder that scripts/gpu-bundle.sh built,
# which holds a copy of this script. Sections: environment, conformance (JUnit, CUDA required), training benchmark
# (uff4j cpu/cuda x dae/bp), PyTorch reference, JMH. Every section runs, under a timeout, whatever failed before;
# the exit status is non-zero when any failed. Full logs go to $OUT (default /tmp/uff4j-out); the last thing
# printed is a Markdown table, also written to $OUT/summary.txt.
#
# Usage: bash gpu-bundle/gpu-check.sh          (the device tool: carry ["gpu-bundle"])
# Overrides (environment): EPOCHS (3), SECTIONS ("env conformance train pytorch jmh"), TRAIN_RUNS, PYTORCH_MODELS,
# TORCH_DEVICE (cuda), PYTHON (python3), CONFORMANCE_SELECTORS, JMH_REGEX, JMH_PARAMS, JMH_OPTS, TRAIN_EXTRA,
# PYTORCH_EXTRA, DEADLINE_S (420: the whole script's budget; each section gets at most what is left), and the T_*
# timeouts below. A quick try without a GPU: EPOCHS=1 bash gpu-bundle/gpu-check.sh (the cuda rows then fail).
set -u

# ---------------------------------------------------------------- settings (edit here)
EPOCHS=${EPOCHS:-3}
SECTIONS=${SECTIONS:-"env conformance train pytorch jmh"}
# JUnit selectors; a class or package that is not in the test classes is left out with a note.
CONFORMANCE_SELECTORS=${CONFORMANCE_SELECTORS:-"--select-package dev.uff4j.backend --select-class dev.uff4j.model.CrossBackendModelTest --select-class dev.uff4j.model.ConvModelTest"}
TRAIN_RUNS=${TRAIN_RUNS:-"cpu:dae cpu:bp cuda:dae cuda:bp cuda-tf32:dae cuda-kernel:dae"}
PYTORCH_MODELS=${PYTORCH_MODELS:-"dae bp"}
TORCH_DEVICE=${TORCH_DEVICE:-cuda}
PYTHON=${PYTHON:-python3}
# Each alternative is a JMH run of its own, in this order (the most telling first).
JMH_REGEX=${JMH_REGEX:-"TrainingStepBenchmark|OpsBenchmark"}
# One CPU thread count and two models keep JMH inside its timeout (each parameter combination is a fork).
JMH_PARAMS=${JMH_PARAMS:-"-p backend=cpu,cuda -p threads=$(nproc 2>/dev/null || echo 1) -p model=dae,bp"}
# Half-second iterations: TrainingStepBenchmark (8 forks) and OpsBenchmark (34) take about 3 s a fork.
JMH_OPTS=${JMH_OPTS:-"-f 1 -wi 2 -i 3 -w 500ms -r 500ms"}
DEADLINE_S=${DEADLINE_S:-420}
T_ENV=${T_ENV:-40}
T_CONFORMANCE=${T_CONFORMANCE:-150}
T_TRAIN=${T_TRAIN:-75}
T_PYTORCH=${T_PYTORCH:-75}
T_JMH=${T_JMH:-180}
T_COMPARE=${T_COMPARE:-300}
COMPARE_MODELS=${COMPARE_MODELS:-"ae,dae,cae,gan,ff,bp,bp-cnn"}
COMPARE_EPOCHS=${COMPARE_EPOCHS:-15}
# Extra arguments, e.g. TRAIN_EXTRA="--limit 5000" PYTORCH_EXTRA="--limit 5000 --threads 2" for a quick try.
TRAIN_EXTRA=${TRAIN_EXTRA:-}
PYTORCH_EXTRA=${PYTORCH_EXTRA:-}

# ---------------------------------------------------------------- layout
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT=${OUT:-/tmp/uff4j-out}
mkdir -p "$OUT"
work=$(mktemp -d "${TMPDIR:-/tmp}/uff4j-check.XXXXXX")
DATA="$work/data"
JAVA="$here/jre/bin/java"
[ -x "$JAVA" ] || JAVA=java
CACHE=/tmp/javacpp-cache
JOPTS=(-Xmx8g --add-modules jdk.incubator.vector "-Dorg.bytedeco.javacpp.cachedir=$CACHE")
start=$(date +%s)
failed=()
declare -A status note

elapsed() { echo $(($(date +%s) - start)); }
log() { echo "[$(elapsed)s] $*"; }
enabled() { case " $SECTIONS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
# Seconds a section may run: its own limit, cut to what is left of the deadline (0: no time left).
budget() {
  local left=$((DEADLINE_S - $(elapsed) - 5))
  if [ "$left" -lt 15 ]; then echo 0; elif [ "$left" -lt "$1" ]; then echo "$left"; else echo "$1"; fi
}
# run_timed LIMIT LOGFILE CMD...: appends the command's output to LOGFILE; returns its status (124: timed out).
run_timed() {
  local limit=$1 logfile=$2
  shift 2
  echo "\$ $*" >>"$logfile"
  timeout -k 10 "$limit" "$@" >>"$logfile" 2>&1
  local rc=$?
  [ "$rc" = 124 ] || [ "$rc" = 137 ] && echo "(timed out after $limit s)" >>"$logfile"
  echo "(exit status $rc)" >>"$logfile"
  return "$rc"
}
# fail_reason LOG RC LIMIT: why a run failed, in one line: its timeout, else its last error-looking line.
fail_reason() {
  if [ "$2" = 124 ] || [ "$2" = 137 ]; then echo "timed out after $3 s"; return; fi
  local line
  line=$(grep -E '^(uff4j|pytorch_uff\.py)[ :]|Error|Exception' "$1" | grep -vE '^uff4j [0-9.]+: training|^pytorch [0-9]' \
    | tail -1 | cut -c1-160)
  [ -z "$line" ] && line=$(grep -vE '^\((exit status|timed out)' "$1" | tail -1 | cut -c1-160)
  echo "exit $2${line:+: $line}"
}
record() { # record KEY pass|fail|skip NOTE
  status[$1]=$2
  note[$1]=$3
  [ "$2" = fail ] && failed+=("$1")
  log "$1: $2${3:+ ($3)}"
}

# ---------------------------------------------------------------- libraries and environment
# Prepends the folders holding the CUDA driver, runtime and cuBLAS to LD_LIBRARY_PATH (JavaCPP dlopens them).
envlog="$OUT/env.log"
: >"$envlog"
lib_dirs=()
add_dir() { local d; for d in "${lib_dirs[@]:-}"; do [ "$d" = "$1" ] && return; done; lib_dirs+=("$1"); }
ldconfig_path() { ldconfig -p 2>/dev/null | awk -v n="$1" '$1 == n { print $NF; exit }'; }
site_dirs=$("$PYTHON" -c 'import site; print("\n".join(site.getsitepackages()))' 2>/dev/null || true)
found=""
driver=""
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -e "$d/libcuda.so.1" ] && { driver="$d/libcuda.so.1"; add_dir "$d"; break; }
done
if [ -z "$driver" ]; then
  driver=$(ldconfig_path libcuda.so.1)
  if [ -z "$driver" ]; then
    for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/local/cuda/compat; do
      [ -e "$d/libcuda.so.1" ] && { driver="$d/libcuda.so.1"; add_dir "$d"; break; }
    done
  fi
fi
found+="driver libcuda.so.1: ${driver:-NOT FOUND}${driver:+ -> $(readlink -f "$driver")}"$'\n'
for lib in libcudart.so.13 libcublas.so.13 libcublasLt.so.13; do
  path=""
  for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib /usr/local/cuda-13*/lib64; do
    [ -e "$d/$lib" ] && { path="$d/$lib"; break; }
  done
  if [ -z "$path" ] && [ -n "$site_dirs" ]; then
    while IFS= read -r s; do
      [ -d "$s/nvidia" ] || continue
      path=$(find "$s/nvidia" -maxdepth 4 -name "$lib" 2>/dev/null | sort | head -1)
      [ -n "$path" ] && break
    done <<<"$site_dirs"
  fi
  [ -z "$path" ] && path=$(ldconfig_path "$lib")
  [ -n "$path" ] && add_dir "$(dirname "$path")"
  found+="$lib: ${path:-NOT FOUND}${path:+ -> $(readlink -f "$path")}"$'\n'
done
if [ "${#lib_dirs[@]}" -gt 0 ]; then
  joined=$(IFS=:; echo "${lib_dirs[*]}")
  export LD_LIBRARY_PATH="$joined${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
gpu_name=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)
driver_version=$(nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>/dev/null | head -1)
{
  echo "== gpu-check $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n), $(nproc) cores; bundle $here"
  cat "$here/BUILD-INFO.txt" 2>/dev/null
  echo "== nvidia-smi -L"
  nvidia-smi -L 2>&1 || echo "(nvidia-smi failed or is missing)"
  echo "driver version: ${driver_version:-unknown}"
  echo "== libraries"
  printf '%s' "$found"
  echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
} >>"$envlog"
log "GPU: ${gpu_name:-none found} (driver ${driver_version:-none})"
nvidia-smi -L 2>/dev/null | sed 's/^/  /'
printf '%s' "$found" | sed 's/^/  /'
echo "  LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"

# MNIST as uff4j expects it: <data>/mnist/<the four raw IDX files> (their sha256 is checked when loaded).
mkdir -p "$DATA/mnist"
data_ok=1
for gz in "$here"/data/mnist/*.gz; do
  [ -f "$gz" ] || { data_ok=0; break; }
  gzip -dc "$gz" >"$DATA/mnist/$(basename "$gz" .gz)" || data_ok=0
done
[ "$(ls "$DATA/mnist" | wc -l)" = 4 ] || data_ok=0
[ "$data_ok" = 1 ] && log "MNIST unpacked into $DATA/mnist" || log "MNIST could not be unpacked from $here/data/mnist"

lib_jars=$(ls "$here"/lib/*.jar 2>/dev/null | tr '\n' ':')
lib_jars=${lib_jars%:}
launcher=$(ls "$here"/junit/junit-platform-console-standalone-*.jar 2>/dev/null | head -1)

if enabled env; then
  t=$(budget "$T_ENV")
  {
    echo "== java"
    "$JAVA" -version 2>&1
    echo "== uff4j info"
  } >>"$envlog"
  run_timed "$t" "$envlog" "$JAVA" "${JOPTS[@]}" -jar "$here/uff4j.jar" info --data "$DATA"
  echo "== python" >>"$envlog"
  run_timed "$t" "$envlog" "$PYTHON" -c 'import sys; print(sys.version)
try:
    import torch
    print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())
except Exception as e:
    print("no torch:", e)'
  sed -n '/^== uff4j info/,/^== python/p' "$envlog" | grep -E '^\s*(cpu|cuda):' | sed 's/^ */  uff4j info: /'
  grep -E '^(torch|no torch)' "$envlog" | sed 's/^/  python: /'
fi

# ---------------------------------------------------------------- conformance
if enabled conformance; then
  clog="$OUT/conformance.log"
  : >"$clog"
  selectors=()
  set -- $CONFORMANCE_SELECTORS
  while [ $# -gt 0 ]; do
    kind=$1 name=${2:-}
    shift 2
    case "$kind" in
      --select-class) target="$here/test-classes/${name//.//}.class" ;;
      --select-package) target="$here/test-classes/${name//.//}" ;;
      *) target="" ;;
    esac
    if [ -n "$target" ] && [ ! -e "$target" ]; then
      log "conformance: $name is not in the test classes; left out"
      echo "(selector $kind $name left out: not in the test classes)" >>"$clog"
      continue
    fi
    selectors+=("$kind" "$name")
  done
  t=$(budget "$T_CONFORMANCE")
  if [ -z "$launcher" ]; then
    record conformance fail "no JUnit console launcher in the bundle"
  elif [ "${#selectors[@]}" = 0 ]; then
    record conformance fail "none of the selected tests exist"
  elif [ "$t" = 0 ]; then
    record conformance skip "no time left"
  else
    log "conformance: JUnit ${selectors[*]} (timeout ${t}s)"
    # Everything on the JVM's own class path (not the launcher's --class-path): tests that start 'java -cp
    # <java.class.path> dev.uff4j.cli.Main' then find uff4j.
    run_timed "$t" "$clog" "$JAVA" "${JOPTS[@]}" -Duff4j.requireCuda=true -Duff4j.cuda.debug=true \
      "-Duff4j.data=$DATA" -cp "$launcher:$here/test-classes:$here/uff4j.jar:$lib_jars" \
      org.junit.platform.console.ConsoleLauncher execute "${selectors[@]}" --details=tree --disable-banner \
      --disable-ansi-colors
    rc=$?
    count() { grep -oE "\[ *[0-9]+ tests $1" "$clog" | grep -oE '[0-9]+' | tail -1; }
    ok=$(count successful) bad=$(count failed) aborted=$(count aborted) skipped=$(count skipped)
    counts="${ok:-?} passed, ${bad:-?} failed, $(( ${aborted:-0} + ${skipped:-0} )) skipped"
    [ "${aborted:-0}" != 0 ] && counts+=" (${aborted} aborted)"
    if [ "$rc" = 0 ] && [ "${bad:-1}" = 0 ] && [ "${ok:-0}" -gt 0 ]; then
      record conformance pass "$counts"
    elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
      record conformance fail "timed out after ${t}s; $counts"
    else
      record conformance fail "exit $rc; $counts"
    fi
    # The distinct failure messages, most frequent first (the whole tree is in conformance.log).
    grep '✘' "$clog" | sed -E 's/^[│├└─ ]+//; s/^[^✘]*✘ ?//' | sort | uniq -c | sort -rn | head -15 \
      | cut -c1-240 | sed 's/^/  /'
  fi
fi

# ---------------------------------------------------------------- training benchmark
blog="$OUT/bench.log"
: >"$blog"
if enabled train; then
  for run in $TRAIN_RUNS; do
    name=${run%%:*} m=${run##*:}
    # cuda-tf32 and cuda-kernel: the cuda backend with TF32 cuBLAS, or with uff4j's own GEMM kernel
    case "$name" in
      cuda-tf32) b=cuda; variant=(--tf32) ;;
      cuda-kernel) b=cuda; variant=(--cuda-gemm kernel) ;;
      *) b=$name; variant=() ;;
    esac
    key="uff4j $name $m"
    t=$(budget "$T_TRAIN")
    if [ "$data_ok" != 1 ]; then record "$key" fail "no MNIST"; continue; fi
    if [ "$t" = 0 ]; then record "$key" skip "no time left"; continue; fi
    log "$key: $EPOCHS epochs (timeout ${t}s)"
    echo "== $key" >>"$blog"
    report="$work/report-$name-$m.json"
    part="$work/train-$name-$m.log"
    # --shift 0: pytorch_uff.py, which these runs are set against, does not augment (uff4j shifts MNIST by default)
    run_timed "$t" "$part" "$JAVA" "${JOPTS[@]}" -jar "$here/uff4j.jar" train --dataset mnist --data "$DATA" \
      --no-fetch --backend "$b" --model "$m" --epochs "$EPOCHS" --shift 0 --progress lines --report "$report" \
      "${variant[@]}" $TRAIN_EXTRA
    rc=$?
    cat "$part" >>"$blog"
    if [ "$rc" = 0 ] && [ -f "$report" ]; then
      record "$key" pass ""
    else
      record "$key" fail "$(fail_reason "$part" "$rc" "$t")"
    fi
  done
fi

# ---------------------------------------------------------------- PyTorch reference
if enabled pytorch; then
  for m in $PYTORCH_MODELS; do
    key="pytorch $m"
    t=$(budget "$T_PYTORCH")
    if [ "$data_ok" != 1 ]; then record "$key" fail "no MNIST"; continue; fi
    if [ "$t" = 0 ]; then record "$key" skip "no time left"; continue; fi
    log "$key: $EPOCHS epochs on $TORCH_DEVICE (timeout ${t}s)"
    echo "== $key" >>"$blog"
    out_json="$work/pytorch-$m.json"
    part="$work/pytorch-$m.log"
    PYTHONUNBUFFERED=1 run_timed "$t" "$part" "$PYTHON" "$here/pytorch_uff.py" --data "$DATA" --model "$m" \
      --epochs "$EPOCHS" --device "$TORCH_DEVICE" --json "$out_json" $PYTORCH_EXTRA
    rc=$?
    cat "$part" >>"$blog"
    if [ "$rc" = 0 ] && [ -f "$out_json" ]; then
      record "$key" pass ""
    else
      record "$key" fail "$(fail_reason "$part" "$rc" "$t")"
    fi
  done
fi

# ---------------------------------------------------------------- JMH
# One JMH run per alternative of JMH_REGEX, in order, each with what is left of T_JMH: one that runs out of time
# loses only its own JSON (its finished benchmarks stay in jmh.log). The JSON arrays are merged into jmh.json.
if enabled jmh; then
  jlog="$OUT/jmh.log"
  : >"$jlog"
  jmh_end=$(($(elapsed) + T_JMH))
  if [ ! -f "$here/benchmarks.jar" ]; then
    record jmh skip "no benchmarks.jar in the bundle"
  else
    jmh_notes=()
    jmh_failed=0
    jmh_ran=0
    i=0
    IFS='|' read -r -a jmh_runs <<<"$JMH_REGEX"
    for regex in "${jmh_runs[@]}"; do
      i=$((i + 1))
      left=$((jmh_end - $(elapsed)))
      t=$(budget "$left")
      [ "$left" -lt 15 ] && t=0
      if [ "$t" = 0 ]; then
        jmh_notes+=("$regex: skipped, no time left")
        continue
      fi
      log "jmh: '$regex' $JMH_PARAMS $JMH_OPTS (timeout ${t}s)"
      jmh_ran=$((jmh_ran + 1))
      part="$work/jmh-$i.log"
      # Run from the class path: the bundle's benchmarks.jar holds JMH and the benchmarks, not uff4j and its jars.
      # shellcheck disable=SC2086
      run_timed "$t" "$part" "$JAVA" "${JOPTS[@]}" -cp "$here/benchmarks.jar:$here/uff4j.jar:$lib_jars" \
        org.openjdk.jmh.Main "$regex" $JMH_PARAMS $JMH_OPTS -rf json -rff "$work/jmh-$i.json"
      rc=$?
      cat "$part" >>"$jlog"
      done_count=$(grep -c '^Result "' "$part")
      failures=$(grep -c '<failure>' "$part")
      if [ "$rc" = 0 ] && [ -s "$work/jmh-$i.json" ]; then
        jmh_notes+=("$regex: $done_count done, $failures failed")
        [ "$failures" = 0 ] || jmh_failed=1
      else
        jmh_failed=1
        if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then why="timed out after ${t}s"; else why="exit $rc"; fi
        jmh_notes+=("$regex: $why, $done_count done, $failures failed")
      fi
      # JMH's own table when the run completed, else the results it printed before it was stopped.
      if grep -q '^# Run complete' "$part"; then
        # A benchmark with secondary metrics (GB/s, GFLOP/s: "name:gbyte") shows those rather than its ops/s.
        sed -n '/^# Run complete/,$p' "$part" | grep -E '^Benchmark  |^[A-Za-z]+Benchmark\.' \
          | awk '{ name = $1; sub(/:.*/, "", name); if ($1 ~ /:/) secondary[name] = 1; line[NR] = $0; key[NR] = name }
                 END { for (i = 1; i <= NR; i++) if (line[i] ~ /:/ || !secondary[key[i]]) print line[i] }' \
          | cut -c1-160
      else
        grep -A1 '^Result "' "$part" | grep -vE '^--$' | paste - - \
          | sed -E 's/^Result "dev\.uff4j\.bench\.//; s/":[[:space:]]+/  /' | cut -c1-160
      fi
    done
    "$PYTHON" - "$OUT/jmh.json" "$work"/jmh-*.json 2>/dev/null <<'EOF'
import json, sys
merged = []
for name in sys.argv[2:]:
    try:
        merged += json.load(open(name))
    except (OSError, ValueError):
        pass
json.dump(merged, open(sys.argv[1], "w"), indent=1)
EOF
    joined_notes=$(IFS=';'; echo "${jmh_notes[*]}")
    if [ "$jmh_ran" = 0 ]; then
      record jmh skip "${joined_notes//;/; }"
    elif [ "$jmh_failed" = 0 ]; then
      record jmh pass "${joined_notes//;/; }"
    else
      record jmh fail "${joined_notes//;/; }"
    fi
  fi
fi

# ---------------------------------------------------------------- model comparison (uff4j compare)
# Not in the default SECTIONS: SECTIONS="env conformance compare" COMPARE_MODELS=... COMPARE_EPOCHS=... runs it;
# its table and plots land in $OUT/compare/.
if enabled compare; then
  key="compare"
  t=$(budget "$T_COMPARE")
  if [ "$data_ok" != 1 ]; then record "$key" fail "no MNIST"
  elif [ "$t" = 0 ]; then record "$key" skip "no time left"
  else
    log "$key: $COMPARE_MODELS, $COMPARE_EPOCHS epochs (timeout ${t}s)"
    part="$work/compare.log"
    run_timed "$t" "$part" "$JAVA" "${JOPTS[@]}" -jar "$here/uff4j.jar" compare --dataset mnist --data "$DATA" \
      --no-fetch --backend cuda --models "$COMPARE_MODELS" --epochs "$COMPARE_EPOCHS" --progress lines \
      --out "$OUT/compare"
    rc=$?
    cat "$part" >>"$blog"
    tail -12 "$part"
    if [ "$rc" = 0 ]; then record "$key" pass ""; else record "$key" fail "$(fail_reason "$part" "$rc" "$t")"; fi
  fi
fi

# ---------------------------------------------------------------- training sweep (uff4j train, several settings)
# Not in the default SECTIONS: SECTIONS="sweep" SWEEP_RUNS="name|train args;name|train args;..." trains each
# setting on MNIST with the cuda backend (SWEEP_BACKEND), SWEEP_JOBS at a time on the one GPU (small models leave it
# mostly idle), and prints one row per setting (test accuracy, training seconds). Reports and logs: $OUT/sweep/.
SWEEP_RUNS=${SWEEP_RUNS:-}
SWEEP_JOBS=${SWEEP_JOBS:-4}
SWEEP_BACKEND=${SWEEP_BACKEND:-cuda}
T_SWEEP=${T_SWEEP:-300}
if enabled sweep; then
  mkdir -p "$OUT/sweep"
  : >"$OUT/sweep/exits.txt"
  t=$(budget "$T_SWEEP")
  if [ "$data_ok" != 1 ]; then record sweep fail "no MNIST"
  elif [ -z "$SWEEP_RUNS" ]; then record sweep fail "SWEEP_RUNS is empty"
  elif [ "$t" = 0 ]; then record sweep skip "no time left"
  else
    log "sweep: $SWEEP_JOBS at a time (timeout ${t}s)"
    sweep_one() { # sweep_one NAME ARGS: one training run; its report and log go to $OUT/sweep/NAME.*
      # shellcheck disable=SC2086
      timeout -k 10 "$t" "$JAVA" "${JOPTS[@]}" -jar "$here/uff4j.jar" train --dataset mnist --data "$DATA" --no-fetch \
        --backend "$SWEEP_BACKEND" --progress lines --report "$OUT/sweep/$1.json" $2 >"$OUT/sweep/$1.log" 2>&1
      echo "$1 exit $?" >>"$OUT/sweep/exits.txt"
    }
    IFS=';' read -r -a sweep_runs <<<"$SWEEP_RUNS"
    for entry in "${sweep_runs[@]}"; do
      while [ "$(jobs -rp | wc -l)" -ge "$SWEEP_JOBS" ]; do sleep 1; done
      sweep_one "${entry%%|*}" "${entry#*|}" &
    done
    wait
    sweep_failed=$(grep -cv ' exit 0$' "$OUT/sweep/exits.txt")
    if [ "$sweep_failed" = 0 ]; then record sweep pass "${#sweep_runs[@]} runs"
    else record sweep fail "$sweep_failed of ${#sweep_runs[@]} runs failed (see $OUT/sweep)"; fi
    "$PYTHON" - "$OUT/sweep" "$SWEEP_RUNS" <<'PYEOF' | tee "$OUT/sweep/table.md"
import json, os, sys
folder, runs = sys.argv[1], sys.argv[2]
print("| setting | train args | test accuracy | train s |")
print("| --- | --- | --- | --- |")
for entry in runs.split(";"):
    name, _, args = entry.partition("|")
    try:
        r = json.load(open(os.path.join(folder, name + ".json")))
        acc, secs = "%.2f%%" % (100 * r["test_accuracy"]), "%.1f" % r["train_seconds"]
    except (OSError, ValueError, KeyError):
        acc, secs = "failed", "-"
    print("| %s | %s | %s | %s |" % (name, args.strip(), acc, secs))
PYEOF
  fi
fi

# ---------------------------------------------------------------- results table
cat >"$work/status.txt" <<EOF
$(for k in "${!status[@]}"; do printf '%s\t%s\t%s\n' "$k" "${status[$k]}" "${note[$k]}"; done)
EOF
summary="$OUT/summary.txt"
if ! "$PYTHON" - "$work" "$EPOCHS" "${gpu_name:-none}" "${driver_version:-none}" "$(elapsed)" "$OUT/results.json" \
    "$TRAIN_RUNS" >"$summary" 2>>"$blog" <<'EOF'
import json, os, statistics, sys

work, epochs, gpu, driver, seconds, results_path, train_runs = sys.argv[1:8]
status = {}
for line in open(os.path.join(work, "status.txt")):
    parts = line.rstrip("\n").split("\t")
    if len(parts) == 3:
        status[parts[0]] = (parts[1], parts[2])

def load(name):
    try:
        with open(os.path.join(work, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None

rows, results = [], {"gpu": gpu, "driver": driver, "epochs": int(epochs), "runs": {}}
for b, m in (run.split(":") for run in train_runs.split()):
    r = load("report-%s-%s.json" % (b, m))
    row = {"key": "uff4j %s %s" % (b, m), "model": m}
    if r:
        secs = [e["seconds"] for e in r.get("epochs_detail", []) if e.get("seconds") is not None]
        med = statistics.median(secs) if secs else None
        row.update(median=med, sps=r["train_samples"] / med if med else None, acc=r.get("test_accuracy"),
                   device="cpu, %s threads" % r.get("threads") if r.get("backend") == "cpu"
                   else str(r.get("backend_description", r.get("backend")))[:48])
        results["runs"][row["key"]] = r
    rows.append(row)
for m in ("dae", "bp"):
    r = load("pytorch-%s.json" % m)
    row = {"key": "pytorch %s" % m, "model": m}
    if r:
        row.update(median=r["median_epoch_seconds"], sps=r["samples_per_second"], acc=r["test_accuracy"],
                   device=str(r.get("device_name", r.get("device")))[:48])
        results["runs"][row["key"]] = r
    rows.append(row)
base = {row["model"]: row.get("sps") for row in rows if row["key"].startswith("uff4j cpu")}

def cell(v, fmt):
    return fmt % v if v is not None else "-"

out = ["GPU: %s (driver %s); MNIST, %s epochs, batch 128; median epoch = training only; "
       "samples/s = train samples / median epoch; x cpu = samples/s over uff4j cpu's, same model" % (gpu, driver, epochs), "",
       "| run | result | median epoch s | samples/s | x cpu | test accuracy | device |",
       "| --- | --- | --- | --- | --- | --- | --- |"]
st, nt = status.get("conformance", ("not run", ""))
out.append("| conformance | %s%s | | | | | |" % (st, ": " + nt if nt else ""))
results["conformance"] = {"status": st, "note": nt}
for row in rows:
    st, nt = status.get(row["key"], ("not run", ""))
    ratio = row["sps"] / base[row["model"]] if row.get("sps") and base.get(row["model"]) else None
    result = st if st == "pass" or not nt else "%s: %s" % (st, nt[:90].replace("|", "/"))
    out.append("| %s | %s | %s | %s | %s | %s | %s |" % (
        row["key"], result, cell(row.get("median"), "%.3f"), cell(row.get("sps"), "%.0f"), cell(ratio, "%.2f"),
        cell(row.get("acc") * 100 if row.get("acc") is not None else None, "%.2f%%"), row.get("device", "-")))
st, nt = status.get("jmh", ("not run", ""))
out.append("| jmh | %s%s | | | | | |" % (st, ": " + nt if nt else ""))
failed = sorted(k for k, (s, _) in status.items() if s == "fail")
skipped = sorted(k for k, (s, _) in status.items() if s == "skip")
verdict = "FAILED: " + ", ".join(failed) if failed else "all passed"
if skipped:
    verdict += "; skipped: " + ", ".join(skipped)
out += ["", "%s (%s s); logs in $OUT: env.log conformance.log bench.log jmh.log jmh.json results.json summary.txt"
        % (verdict, seconds)]
results["status"] = {k: {"status": s, "note": n} for k, (s, n) in status.items()}
with open(results_path, "w") as f:
    json.dump(results, f, indent=1)
print("\n".join(out))
EOF
then
  {
    echo "(the table could not be made with $PYTHON; section results:)"
    for k in "${!status[@]}"; do echo "$k: ${status[$k]} ${note[$k]}"; done
  } >"$summary"
fi
echo
cat "$summary"
if enabled sweep && [ -f "$OUT/sweep/table.md" ]; then
  echo
  cat "$OUT/sweep/table.md"
fi
rm -rf "$work"
[ "${#failed[@]}" = 0 ]
