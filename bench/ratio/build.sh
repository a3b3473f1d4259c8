#!/usr/bin/env bash
# Rebuilds bench/ratio/*.c into the committed *.o (clang-19, libbpf-dev).
set -euo pipefail
cd "$(dirname "$0")"
CLANG="${CLANG:-clang-19}"
MULTIARCH="$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)"
FLAGS=(-O2 -g -target bpf -mcpu=v3 -Wall -Werror -I"/usr/include/$MULTIARCH" -fdebug-prefix-map="$PWD"=.)
for source in *.c; do
	object="${source%.c}.o"
	echo "  CC $object"
	"$CLANG" "${FLAGS[@]}" -c "$source" -o "$object"
done
