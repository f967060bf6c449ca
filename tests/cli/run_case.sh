#!/usr/bin/env bash
# Runs one command-line case file and compares exit status, stdout and stderr exactly.
#   run_case.sh REDRESS_BINARY SOURCE_DIR CASE_FILE
# Case file lines:
#   run: ARGS...           arguments to redress (shell words; {src} is the source tree)
#   stdin: PATH            optional file fed to standard input ({src} allowed)
#   exit: N                expected exit status
#   stdout: LINE           expected standard output, one line per key (exact, in order)
#   stderr: LINE           expected standard error, likewise
#   stdout-has: TEXT       standard output must contain TEXT (instead of an exact match)
#   stderr-has: TEXT       standard error must contain TEXT
# Lines starting with # are comments. A case with no stdout/stdout-has expects no output.
set -u
binary=$1 src=$2 case_file=$3
args="" stdin_file=/dev/null expected_exit=0
expected_out="" expected_err="" has_out=() has_err=()
exact_out=0 exact_err=0
while IFS= read -r line || [ -n "$line" ]; do
  line=${line//\{src\}/$src}
  case "$line" in
    "#"*|"") ;;
    run:*) args=${line#run: } ;;
    stdin:*) stdin_file=${line#stdin: } ;;
    exit:*) expected_exit=${line#exit: } ;;
    stdout:*) expected_out+="${line#stdout:}"$'\n'; exact_out=1 ;;
    stderr:*) expected_err+="${line#stderr:}"$'\n'; exact_err=1 ;;
    stdout-has:*) has_out+=("${line#stdout-has: }") ;;
    stderr-has:*) has_err+=("${line#stderr-has: }") ;;
    *) echo "bad line in $case_file: $line"; exit 2 ;;
  esac
done < "$case_file"
expected_out=$(printf '%s' "$expected_out" | sed 's/^ //')
expected_err=$(printf '%s' "$expected_err" | sed 's/^ //')

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
eval "set -- $args"
"$binary" "$@" < "$stdin_file" > "$workdir/out" 2> "$workdir/err"
status=$?
actual_out=$(cat "$workdir/out")
actual_err=$(cat "$workdir/err")

failed=0
if [ "$status" != "$expected_exit" ]; then
  echo "exit status: expected $expected_exit, got $status"; failed=1
fi
if [ $exact_out = 1 ] || [ ${#has_out[@]} = 0 ]; then
  if [ "$actual_out" != "$expected_out" ]; then
    printf 'stdout differs\n--- expected\n%s\n--- actual\n%s\n' "$expected_out" "$actual_out"; failed=1
  fi
fi
if [ $exact_err = 1 ] || [ ${#has_err[@]} = 0 ]; then
  if [ "$actual_err" != "$expected_err" ]; then
    printf 'stderr differs\n--- expected\n%s\n--- actual\n%s\n' "$expected_err" "$actual_err"; failed=1
  fi
fi
for want in "${has_out[@]+"${has_out[@]}"}"; do
  case "$actual_out" in *"$want"*) ;; *) echo "stdout lacks: $want"; echo "$actual_out"; failed=1 ;; esac
done
for want in "${has_err[@]+"${has_err[@]}"}"; do
  case "$actual_err" in *"$want"*) ;; *) echo "stderr lacks: $want"; echo "$actual_err"; failed=1 ;; esac
done
exit $failed
