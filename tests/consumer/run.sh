#!/usr/bin/env bash
# Packaging: install redress into a prefix, then build and run two tiny host projects, one with
# find_package(redress) against the installed tree (and pkg-config), one with add_subdirectory.
#   tests/consumer/run.sh [WORK_DIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$src/build/consumer}
rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)   # CMake resolves relative prefixes against other directories

echo "== install"
cmake -S "$src" -B "$work/redress-build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$work/prefix" \
  -DREDRESS_BUILD_TESTS=OFF -DREDRESS_BUILD_EXAMPLES=OFF -DREDRESS_BUILD_BENCH=OFF >/dev/null
cmake --build "$work/redress-build"
cmake --install "$work/redress-build" >/dev/null
for f in include/redress/redress.hpp lib/libredress.a bin/redress lib/cmake/redress/redressConfig.cmake \
         lib/cmake/redress/redressConfigVersion.cmake lib/pkgconfig/redress.pc; do
  [ -e "$work/prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
"$work/prefix/bin/redress" --version

echo "== find_package(redress) against the installed tree (a C++20 host)"
cmake -S "$src/tests/consumer/find-package" -B "$work/find-package" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/find-package"
"$work/find-package/consumer"

echo "== pkg-config"
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --modversion redress
# shellcheck disable=SC2046
g++ -o "$work/pkg-config-consumer" "$src/tests/consumer/main.cpp" \
  $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs --static redress)
"$work/pkg-config-consumer"

echo "== add_subdirectory(redress)"
cmake -S "$src/tests/consumer/subdirectory" -B "$work/subdirectory" -G Ninja -DREDRESS_SOURCE_DIR="$src" >/dev/null
cmake --build "$work/subdirectory"
"$work/subdirectory/consumer"
echo "consumers: ok"
