#!/usr/bin/env bash
# Usage: check_exports.sh LIBREDRESS_SO ABI_VERSION
# Checks the SONAME and that every exported (defined, dynamic) symbol is redress's own.
set -euo pipefail
lib=$1 abi=$2
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = "libredress.so.$abi" ] || { echo "SONAME is '$soname', expected libredress.so.$abi"; exit 1; }
symbols=$(nm -D --defined-only -C "$lib" | cut -d' ' -f3-)
foreign=$(printf '%s\n' "$symbols" | grep -v -E '^(redress_|redress::|(typeinfo|typeinfo name|vtable) for redress::|REDRESS_1$)' || true)
if [ -n "$foreign" ]; then
  echo "exported symbols that are not redress's:"; printf '%s\n' "$foreign" | head -20; exit 1
fi
count=$(printf '%s\n' "$symbols" | grep -c -E '^redress_' || true)
[ "$count" -ge 30 ] || { echo "only $count C functions exported"; exit 1; }
echo "SONAME $soname; $count C functions; no foreign symbols"
