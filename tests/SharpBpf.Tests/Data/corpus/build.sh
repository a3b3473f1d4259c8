#!/usr/bin/env bash
# Rebuilds the corpus objects with clang-19 (objects are committed; tests do not need clang). Every source is built
# twice, for -mcpu=v3 (NAME_v3.o) and -mcpu=v4 (NAME_v4.o: movsx, ldsx, sdiv/smod, gotol, bswap), because the two
# instruction sets give the verifier different code for the same C.
# ok_*.c are realistic programs Linux accepts; bad_*.c break one rule and Linux's verdicts are in expected.txt.
set -euo pipefail
cd "$(dirname "$0")"
command -v clang-19 >/dev/null || { echo "clang-19 is needed (apt-get install clang-19)" >&2; exit 1; }
multiarch="$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)"
for source in *.c; do
  for cpu in v3 v4; do
    clang-19 -O2 -g -target bpf -mcpu="$cpu" -Wall -Werror -I/usr/include/"$multiarch" \
      -fdebug-prefix-map="$PWD"=. -c "$source" -o "${source%.c}_$cpu.o"
  done
done
