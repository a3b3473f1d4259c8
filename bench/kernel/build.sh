#!/usr/bin/env bash
# Rebuilds bench/kernel/*.c into the committed *.o (clang-19 -O2 -g -target bpf).
# Needs clang-19 and libbpf's headers (Debian: clang-19, libbpf-dev).
set -euo pipefail
cd "$(dirname "$0")"

CLANG="${CLANG:-clang-19}"
if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "build.sh: $CLANG not found; using the committed objects" >&2
	exit 0
fi

# The multiarch include directory provides <asm/types.h> for <linux/*.h>.
MULTIARCH="$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)"
# -fdebug-prefix-map keeps the checkout path out of the DWARF, so objects are reproducible.
FLAGS=(-O2 -g -target bpf -mcpu=v3 -Wall -Werror -I"/usr/include/$MULTIARCH" -fdebug-prefix-map="$PWD"=.)

for source in *.c; do
	object="${source%.c}.o"
	echo "  CC $object"
	"$CLANG" "${FLAGS[@]}" -c "$source" -o "$object"
done
