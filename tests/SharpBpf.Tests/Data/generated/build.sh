#!/usr/bin/env bash
# Compiles every generated source (src/*.c, written by generate.py) into objects/*.o with clang-19 (objects are
# committed; the tests need no clang). A source clang refuses is reported and left out. A source's "// build:" (or
# "// build-flags:") line names its optimisation level and CPU (default -O2 -mcpu=v3). An argument limits the build to
# the sources whose names start with it.
set -uo pipefail
cd "$(dirname "$0")"
command -v clang-19 >/dev/null || { echo "clang-19 is needed (apt-get install clang-19 libbpf-dev)" >&2; exit 1; }
multiarch="$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)"
mkdir -p objects
rm -f objects/${1:-}*.o
for source in src/${1:-}*.c; do
  name="$(basename "${source%.c}")"
  flags="$(sed -n 's#^// build\(-flags\)\?: ##p' "$source" | head -1)"
  # shellcheck disable=SC2086
  clang-19 ${flags:--O2 -mcpu=v3} -g -target bpf -Wall -Wno-unused-variable -I/usr/include/"$multiarch" \
    -fdebug-prefix-map="$PWD"=. -c "$source" -o "objects/$name.o" 2>"objects/$name.err" || echo "clang refused $name: $(head -1 "objects/$name.err")"
  rm -f "objects/$name.err"
done
ls objects/*.o | wc -l
