#!/usr/bin/env bash
# Runs the example in every subcommand's --help, as a user would from a clone of the
# repository, and checks that it works: it exits 0 (or 1, which means findings, for diff and migrate) and
# prints every output line the help shows under it.
#   tests/cli/help_examples.sh REDRESS_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2

# The examples name paths relative to the repository; run them in a scratch folder that links
# to it, so the files they write (report.xml, lifecycle.dot, timeline.svg) land there.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for d in rules examples tests; do ln -s "$src/$d" "$work/$d"; done
cd "$work"

commands=$("$bin" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ -n "$commands" ] || { echo "no subcommands in redress --help" >&2; exit 1; }

failures=0
checked=0
for command in $commands; do
  help=$("$bin" "$command" --help)
  # The example: the lines after "Example...:" that are indented; a line starting with
  # "redress" begins a command (continued while a line ends with a backslash); the other lines
  # are the output it shows.
  example=$(printf '%s\n' "$help" | awk '/^Example/ { on = 1; next } on && /^  / { print } on && !/^  / { exit }')
  if [ -z "$example" ]; then
    echo "FAIL $command: --help shows no example" >&2
    failures=$((failures + 1))
    continue
  fi
  runs=()
  shown=()
  current=""
  while IFS= read -r line; do
    line=${line#  }
    if [ -n "$current" ]; then
      current+=" ${line# }"
    elif [[ $line == redress\ * ]]; then
      current=$line
    else
      shown+=("$line")
      continue
    fi
    if [[ $current == *\\ ]]; then
      current=${current%\\}
    else
      runs+=("$current")
      current=""
    fi
  done <<<"$example"

  out="$work/$command.out"
  err="$work/$command.err"
  : >"$out"
  for run in "${runs[@]}"; do
    # --pdf prints through headless chromium; a machine without it (a bare Debian 12, where
    # scripts/setup installs no browser) skips that example, saying so.
    if [[ $run == *--pdf* ]] && ! command -v chromium >/dev/null && [ ! -x /usr/bin/chromium ]; then
      echo "skipped $command: '$run' needs chromium, which is not installed"
      continue
    fi
    status=0
    # The example as written, with `redress` standing for the binary under test.
    bash -c "redress() { \"$bin\" \"\$@\"; }; $run" >>"$out" 2>"$err" || status=$?
    allowed=0
    [ "$command" = diff ] || [ "$command" = migrate ] && allowed=1
    if [ "$status" -gt "$allowed" ]; then
      echo "FAIL $command: '$run' exited $status" >&2
      cat "$err" >&2
      failures=$((failures + 1))
    fi
    checked=$((checked + 1))
  done
  for expected in "${shown[@]}"; do
    if ! grep -qF -- "$expected" "$out"; then
      echo "FAIL $command: the help shows '$expected', which its example does not print" >&2
      failures=$((failures + 1))
    fi
  done
done

# Files the examples say they write.
for written in report.xml lifecycle.dot timeline.svg; do
  [ -s "$work/$written" ] || { echo "FAIL: an example should have written $written" >&2; failures=$((failures + 1)); }
done

echo "$checked examples from $(echo $commands | wc -w) commands' --help, $failures failures"
[ "$failures" -eq 0 ]
