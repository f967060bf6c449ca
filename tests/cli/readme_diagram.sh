#!/usr/bin/env bash
# The lifecycle diagram in README.md is the one the state machine's table prints.
set -u
binary=$1 src=$2
expected=$("$binary" lifecycle --format mermaid)
actual=$(sed -n '/^```mermaid$/,/^```$/p' "$src/README.md" | sed '1d;$d')
if [ "$expected" != "$actual" ]; then
  echo "README.md's mermaid diagram differs from 'redress lifecycle --format mermaid':"
  diff <(echo "$expected") <(echo "$actual") | head -20
  exit 1
fi
