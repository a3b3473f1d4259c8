#!/usr/bin/env bash
# The same-run ratio benchmark: every workload of bench/ratio/ratio.c through Linux (BPF_PROG_TEST_RUN with repeat)
# and SharpBpf (JIT and interpreter) on the same object, pinned to one CPU, with ratios. Needs root for the kernel.
# Usage: bench/ratio.sh [--cpu N] [ratio options: --rounds R --target-us U --filter a,b --worlds linux,jit,...]
set -euo pipefail
cd "$(dirname "$0")/.."
CPU=1
if [[ "${1:-}" == "--cpu" ]]; then CPU="$2"; shift 2; fi
bench/ratio/build.sh >/dev/null
dotnet build -c Release bench/SharpBpf.Benchmarks -v quiet -nologo >/dev/null
exec taskset -c "$CPU" dotnet bench/SharpBpf.Benchmarks/bin/Release/net10.0/SharpBpf.Benchmarks.dll ratio "$@"
