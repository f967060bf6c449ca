#!/usr/bin/env bash
# The cost of including redress/redress.hpp in a host translation unit, beside an empty one and
# one that includes only <date/date.h>: median of 5 runs of g++ -fsyntax-only, C++17 and C++20.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo '' > "$work/empty.cpp"
echo '#include <date/date.h>' > "$work/date.cpp"
echo '#include <redress/redress.hpp>' > "$work/redress.cpp"
median() {  # median FILE STD
  local times=()
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s%N)
    g++ -std="$2" -O2 -fsyntax-only -I"$root/include" "$work/$1" >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}
for std in c++17 c++20; do
  printf '%s  empty TU %4d ms   <date/date.h> %4d ms   <redress/redress.hpp> %4d ms\n' "$std" \
    "$(median empty.cpp $std)" "$(median date.cpp $std)" "$(median redress.cpp $std)"
done
