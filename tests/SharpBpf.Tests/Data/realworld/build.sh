#!/bin/sh
# Rebuilds the real-world test objects (programs shaped like XDP/TC code in the wild). The committed .o files are
# what the tests use.
set -eu
cd "$(dirname "$0")"
CLANG="${CLANG:-clang-19}"
for source in *.c; do
	# The prefix map keeps the checkout path out of the DWARF, so the objects are reproducible anywhere.
	"$CLANG" -O2 -g -target bpf -mcpu=v3 -I/usr/include/x86_64-linux-gnu -fdebug-prefix-map="$PWD"=. -c "$source" -o "${source%.c}.o"
done
# ksym_strong.c is built twice: a typeless and a typed strong kernel symbol.
"$CLANG" -O2 -g -target bpf -mcpu=v3 -I/usr/include/x86_64-linux-gnu -fdebug-prefix-map="$PWD"=. -DTYPED -c ksym_strong.c -o ksym_strong_typed.o
