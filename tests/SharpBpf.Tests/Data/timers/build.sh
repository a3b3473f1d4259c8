#!/usr/bin/env bash
# Rebuilds the timer probe objects with clang-19 (objects are committed; tests do not need clang).
set -euo pipefail
cd "$(dirname "$0")"
command -v clang-19 >/dev/null || { echo "clang-19 is needed (apt-get install clang-19)" >&2; exit 1; }
for source in *.c; do
  clang-19 -O2 -g -target bpf -mcpu=v3 -Wall -Werror -I/usr/include/"$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)" \
    -fdebug-prefix-map="$PWD"=. -c "$source" -o "${source%.c}.o"
done
