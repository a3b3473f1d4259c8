#!/usr/bin/env bash
# Rebuilds the ELF reader's test objects and their golden llvm-readelf output.
# Example objects (../../../../examples/*.o) get their golden text here too.
# Needs clang-19 and llvm-readelf-19; the tests themselves need neither.
set -euo pipefail
cd "$(dirname "$0")"
for tool in clang-19 llvm-readelf-19; do
	command -v "$tool" >/dev/null || { echo "build.sh: $tool not found" >&2; exit 1; }
done
MULTIARCH="$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)"
COMMON=(-target bpf -I"/usr/include/$MULTIARCH" -fdebug-prefix-map="$PWD"=.)

clang-19 -O2 -g -mcpu=v1 -fcommon "${COMMON[@]}" -c multi.c -o multi.o
# No -g: no .BTF, no DWARF, no .rel.BTF*; -mcpu=v4 instructions.
clang-19 -O2 -mcpu=v4 "${COMMON[@]}" -c ../../../../examples/subprograms.c -o subprograms_v4_nodebug.o

# Real objects the reader must reject (named *.obj so the *.o globs of the tests skip them).
clang-19 -O2 -target x86_64-linux-gnu -c not_bpf.c -o not_bpf.x86_64.obj
clang-19 -O2 -target i386-linux-gnu -c not_bpf.c -o not_bpf.i386.obj
clang-19 -O2 -target bpfeb -c not_bpf.c -o not_bpf.bpfeb.obj

for object in *.o ../../../../examples/*.o; do
	name="$(basename "${object%.o}")"
	llvm-readelf-19 --wide -S -s -r "$object" > "$name.readelf.txt"
done
