#!/usr/bin/env bash
# Records the kernel's "processed N insns" for every program of every accepted object (Data/corpus ok_*,
# Data/verifier ok_*, examples/*.o) into kernel.txt: "object program N". Run as root on the measuring kernel
# (Linux 6.18.44 here); bpftool -d makes libbpf print each program's level-1 verifier log, whose last line is the count.
set -euo pipefail
cd "$(dirname "$0")"
root=../../../..
pin=/sys/fs/bpf/sharpbpf-processed-$$
out=kernel.txt.new
: > "$out"
for obj in "$root"/tests/SharpBpf.Tests/Data/corpus/ok_*.o "$root"/tests/SharpBpf.Tests/Data/verifier/ok_*.o "$root"/examples/*.o; do
  rel="${obj#$root/}"
  log="$(bpftool -d prog loadall "$obj" "$pin" 2>&1 || true)"
  rm -rf "$pin"
  # "libbpf: prog 'NAME': -- BEGIN PROG LOAD LOG --" is followed by the log; its "processed" line closes it.
  awk -v rel="$rel" '
    /^libbpf: prog .*BEGIN PROG LOAD LOG/ { match($0, /prog '\''[^'\'']*'\''/); name = substr($0, RSTART + 6, RLENGTH - 7) }
    /^processed [0-9]+ insns/ && name != "" { print rel, name, $2; name = "" }
  ' <<< "$log" >> "$out"
done
sort "$out" > kernel.txt
rm "$out"
