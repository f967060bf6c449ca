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
# The prefix is given at install time, not at configure time: the installed files must not
# depend on CMAKE_INSTALL_PREFIX (redress.pc finds its prefix from where it lies).
cmake -S "$src" -B "$work/redress-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DREDRESS_BUILD_TESTS=OFF -DREDRESS_BUILD_EXAMPLES=OFF -DREDRESS_BUILD_BENCH=OFF -DREDRESS_BUILD_PYTHON=OFF >/dev/null
cmake --build "$work/redress-build"
cmake --install "$work/redress-build" --prefix "$work/prefix" >/dev/null
for f in include/redress/redress.hpp include/redress/redress.h lib/libredress.a lib/libredress.so.1 bin/redress \
         lib/cmake/redress/redressConfig.cmake lib/cmake/redress/redressConfigVersion.cmake lib/pkgconfig/redress.pc \
         lib/pkgconfig/redress-c.pc; do
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

echo "== a C99 host against libredress.so (pkg-config redress-c)"
cat > "$work/c-consumer.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <redress/redress.h>
int main(void) {
  char* due = NULL;
  redress_calendar* c = NULL;
  redress_error* e = NULL;
  if (redress_calendar_load_string("[calendar]\nname = \"utc\"\ntimezone = \"UTC\"\n[calendar.hours]\nmon = [\"09:00-17:00\"]\n",
                                   "utc.toml", &c, &e) != REDRESS_OK) return printf("%s\n", redress_error_message(e)), 1;
  /* 2026-03-30 is a Monday: 8 working hours from 09:00 end at 17:00. */
  if (redress_calendar_deadline(c, "2026-03-30T09:00:00Z", "8 business hours", NULL, &due, &e) != REDRESS_OK) return 1;
  printf("%s\n", due);
  int ok = strstr(due, "\"due\":\"2026-03-30T17:00:00+00:00\"") != NULL;
  redress_free(due);
  redress_calendar_free(c);
  return ok ? 0 : 1;
}
C
# shellcheck disable=SC2046
gcc -std=c99 -Wall -Wextra -pedantic -Werror -o "$work/c-consumer" "$work/c-consumer.c" \
  $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs redress-c)
LD_LIBRARY_PATH="$work/prefix/lib" "$work/c-consumer"

echo "== add_subdirectory(redress)"
cmake -S "$src/tests/consumer/subdirectory" -B "$work/subdirectory" -G Ninja -DREDRESS_SOURCE_DIR="$src" >/dev/null
cmake --build "$work/subdirectory"
"$work/subdirectory/consumer"
echo "consumers: ok"
