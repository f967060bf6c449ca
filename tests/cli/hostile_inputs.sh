#!/usr/bin/env bash
# Hostile inputs made at test time (too big or too odd to commit): each must end with a clear
# message and exit status 2, quickly: no crash, no hang.
set -u
binary=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
expect() {  # expect NAME EXPECTED-STDERR COMMAND...
  local name=$1 expected=$2; shift 2
  local out status
  out=$(timeout 20 "$@" 2>&1 >/dev/null); status=$?
  if [ "$status" != 2 ] || [ "$out" != "$expected" ]; then
    printf '%s: expected exit 2 and\n  %s\ngot exit %s and\n  %s\n' "$name" "$expected" "$status" "$out"; failed=1
  fi
}
printf '[calendar]\ntimezone = "UTC"\n[calendar.hours]\nmon = ["09:00-17:00"]\n' > "$work/ok.toml"

# A 50 MB calendar file.
{ printf '[calendar]\ntimezone = "UTC"\n'; yes '# xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' | head -n 500000; } > "$work/big.toml"
expect "50 MB file" "redress: $work/big.toml: file \"$work/big.toml\" is 50500028 bytes, over the 16 MiB redress reads" "$binary" due --calendar "$work/big.toml" --from 2026-04-01T10:00:00Z --add "1 day"
# Deeply nested arrays.
printf '[calendar]\ntimezone = "UTC"\nholidays = %s%s\n' "$(printf '[%.0s' {1..5000})" "$(printf ']%.0s' {1..5000})" > "$work/deep.toml"
expect "deep nesting" "redress: $work/deep.toml:3:268: invalid TOML: Error while parsing value: exceeded maximum nested value depth of 256 (TOML_MAX_NESTED_VALUES)" "$binary" due --calendar "$work/deep.toml" --from 2026-04-01T10:00:00Z --add "1 day"
# A device instead of a file: never read forever.
expect "a device" "redress: /dev/zero: cannot read file \"/dev/zero\": not a regular file (a device or a pipe)" "$binary" due --calendar /dev/zero --from 2026-04-01T10:00:00Z --add "1 day"
# A holiday file that is a device, a directory, or 20 MB: refused at the entry that names it.
printf '[calendar]\ntimezone = "UTC"\nholiday_files = ["/dev/zero"]\n[calendar.hours]\nmon = ["09:00-17:00"]\n' > "$work/zero.toml"
expect "holiday file is a device" "redress: $work/zero.toml:3:18: cannot read holiday file \"/dev/zero\": not a regular file (a device or a pipe)" "$binary" due --calendar "$work/zero.toml" --from 2026-04-01T10:00:00Z --add "1 day"
mkdir "$work/holidays.ics"
printf '[calendar]\ntimezone = "UTC"\nholiday_files = ["holidays.ics"]\n[calendar.hours]\nmon = ["09:00-17:00"]\n' > "$work/dir.toml"
expect "holiday file is a directory" "redress: $work/dir.toml:3:18: cannot read holiday file \"$work/holidays.ics\": it is a directory" "$binary" due --calendar "$work/dir.toml" --from 2026-04-01T10:00:00Z --add "1 day"
head -c 20000000 /dev/zero | tr '\0' 'x' > "$work/big.ics"
printf '[calendar]\ntimezone = "UTC"\nholiday_files = ["big.ics"]\n[calendar.hours]\nmon = ["09:00-17:00"]\n' > "$work/bigics.toml"
expect "20 MB holiday file" "redress: $work/bigics.toml:3:18: holiday file \"$work/big.ics\" is 20000000 bytes, over the 16 MiB redress reads" "$binary" due --calendar "$work/bigics.toml" --from 2026-04-01T10:00:00Z --add "1 day"
# Binary garbage.
head -c 4096 /dev/urandom > "$work/garbage.toml"
out=$(timeout 20 "$binary" due --calendar "$work/garbage.toml" --from 2026-04-01T10:00:00Z --add "1 day" 2>&1 >/dev/null); status=$?
case "$status:$out" in "2:redress: $work/garbage.toml:"*) ;; *) echo "garbage: exit $status: $out"; failed=1 ;; esac
# A thousand digits as a duration.
expect "a thousand digits" "redress: --add: invalid duration \"$(printf '9%.0s' {1..1000}) days\": the number is too large; expected a whole number and a unit, such as \"15 business days\", \"8 weeks\", \"1 month\", \"90 business minutes\" or \"36 hours\"" \
  "$binary" due --calendar "$work/ok.toml" --from 2026-04-01T10:00:00Z --add "$(printf '9%.0s' {1..1000}) days"
# A batch of 200,000 lines whose last line is broken: streams, then stops at the right line.
{ yes "$(printf '2026-04-01T10:00:00Z\t1 business day')" | head -n 199999; printf '2026-04-01T10:00:00Z\tsoon\n'; } > "$work/batch.tsv"
expect "broken last batch line" "redress: $work/batch.tsv:200000:22: invalid duration \"soon\": it does not start with a whole number; expected a whole number and a unit, such as \"15 business days\", \"8 weeks\", \"1 month\", \"90 business minutes\" or \"36 hours\"" \
  "$binary" due --calendar "$work/ok.toml" --batch "$work/batch.tsv"
# --batch input that is not a file of lines (hostile-a): a directory, a device, a closed standard
# input, a line without end; a UTF-8 byte order mark and CRLF line ends are read.
mkdir "$work/batch-dir"
expect "batch is a directory" "redress: cannot read batch file \"$work/batch-dir\": it is a directory" \
  "$binary" due --calendar "$work/ok.toml" --batch "$work/batch-dir"
expect "batch is /dev/zero" "redress: /dev/zero:1:1: a NUL byte: batch input is text (TIME<TAB>DURATION lines)" \
  "$binary" due --calendar "$work/ok.toml" --batch /dev/zero
out=$(timeout 20 "$binary" due --calendar "$work/ok.toml" --batch - 2>&1 >/dev/null <&-); status=$?
[ "$status:$out" = "2:redress: cannot read <stdin>: standard input is closed" ] || { echo "closed stdin: exit $status: $out"; failed=1; }
head -c 100000 /dev/zero | tr '\0' 'x' > "$work/long.tsv"
expect "endless batch line" "redress: $work/long.tsv:1:1: the line is longer than 65536 bytes (a batch line is TIME<TAB>DURATION)" \
  "$binary" due --calendar "$work/ok.toml" --batch "$work/long.tsv"
yes x | tr -d '\n' | head -c 10000000 > "$work/long-pipe.tsv"
out=$(cat "$work/long-pipe.tsv" | timeout 20 "$binary" due --calendar "$work/ok.toml" --batch - 2>&1 >/dev/null); status=$?
[ "$status:$out" = "2:redress: <stdin>:1:1: the line is longer than 65536 bytes (a batch line is TIME<TAB>DURATION)" ] || { echo "endless piped line: exit $status: $out"; failed=1; }
printf '\xef\xbb\xbf2026-04-01T10:00:00Z\t1 business day\r\n2026-04-01T10:00:00Z\t2 business days\r\n' > "$work/bom.tsv"
out=$(timeout 20 "$binary" due --calendar "$work/ok.toml" --batch "$work/bom.tsv" 2>&1); status=$?
[ "$status:$out" = "0:2026-04-06T23:59:59+00:00
2026-04-13T23:59:59+00:00" ] || { echo "BOM and CRLF batch: exit $status: $out"; failed=1; }
printf '2026-04-01T10:00:00Z\t1 business day\r2026-04-01T10:00:00Z\t2 business days\r' > "$work/cr.tsv"
expect "CR-only line ends" "redress: $work/cr.tsv:1:36: a carriage return (CR) inside the line: lines end with LF or CRLF (a file with CR alone, as old Mac files have, must be converted)" \
  "$binary" due --calendar "$work/ok.toml" --batch "$work/cr.tsv"
exit $failed
