#!/usr/bin/env bash
# SharpBpf's timers next to Linux's bpf_timer, measured in one run on this machine, with ratios (SharpBpf / Linux):
# arm+cancel per operation, virtual-time fires per second (SharpBpf only: the kernel has no virtual time), and
# real-clock lateness (p50/p99/max) of a 1 ms periodic timer and of 10,000 concurrent timers.
# The kernel side needs root (BPF_PROG_TEST_RUN, bpf_timer); without it the table shows n/a there.
#   bench/timers.sh             the comparison table (about 30 s)
#   bench/timers.sh --bdn       also the BenchmarkDotNet timer benchmarks (several minutes)
set -euo pipefail
cd "$(dirname "$0")/.."

# Rebuild the BPF object when clang-19 is here; otherwise the committed timer_bench.o is used.
bench/kernel/build.sh

dotnet build -c Release bench/SharpBpf.Benchmarks -v quiet -nologo >/dev/null
BENCH=(dotnet bench/SharpBpf.Benchmarks/bin/Release/net10.0/SharpBpf.Benchmarks.dll)

echo "machine: $(nproc) CPUs, $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"${BENCH[@]}" kernel-compare

if [ "${1:-}" = "--bdn" ]; then
	"${BENCH[@]}" --filter '*Timer*' --job short
fi
