#!/bin/sh
# Rebuilds the BTF test objects, their raw .BTF/.BTF.ext blobs and bpftool's raw dump (the golden text).
set -eu
cd "$(dirname "$0")"
for name in types timers; do
	clang-19 -O2 -g -target bpf -fdebug-prefix-map="$(pwd)"=. -I/usr/include/x86_64-linux-gnu -c "$name.c" -o "$name.o"
	llvm-objcopy-19 --dump-section .BTF="$name.btf" --dump-section .BTF.ext="$name.btf.ext" "$name.o" /dev/null
	bpftool btf dump file "$name.o" format raw > "$name.raw.txt"
done
