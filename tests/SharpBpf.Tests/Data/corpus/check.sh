#!/usr/bin/env bash
# Loads every corpus object into the running kernel with bpftool and prints OK or the end of the verifier log.
cd "$(dirname "$0")"
pin=/sys/fs/bpf/sharpbpf-corpus-check
if [ $# -eq 0 ]; then set -- *.o; fi
for o in "$@"; do
  rm -rf "$pin"; mkdir -p "$pin"
  if bpftool prog loadall "$o" "$pin" >/tmp/corpus-check.log 2>&1; then echo "$o OK"; else echo "$o REFUSED"; grep -v '^$' /tmp/corpus-check.log | grep -v "^libbpf: prog\|processed\|verification time\|stack depth" | tail -3; fi
done
rm -rf "$pin"
