#!/usr/bin/env bash
# `simulate --pdf` where no real browser is needed to check it, so these run on every machine:
# a missing chromium, one that hangs (stopped with every process it started), a bad
# REDRESS_PDF_TIMEOUT_SECONDS, and a PDF that cannot be written (a full device, a missing
# directory). A stand-in chromium (a shell script writing a fixed PDF where --print-to-pdf= says)
# prints the page, so the written file is checked byte for byte; the scratch page that cannot be
# written. Each failure is exit 2 with its exact message and no file left behind.
#   pdf_without_browser.sh REDRESS_BINARY SOURCE_DIR
set -u
binary=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
policy=$src/rules/iso10002.toml scenario=$src/examples/scenarios/retail-week.toml
failures=0
fail() { echo "FAIL: $1"; [ -s "$work/err" ] && sed 's/^/  stderr: /' "$work/err"; failures=$((failures + 1)); }

# expect NAME STDERR COMMAND...: exit 2 and exactly that stderr.
expect() {
  local name=$1 want=$2; shift 2
  "$@" 2>"$work/err"
  local status=$?
  [ "$status" = 2 ] && [ "$(cat "$work/err")" = "$want" ] || fail "$name: exit $status, want 2 and: $want"
}

# No chromium: exit 2, naming the package to install; no file left behind.
expect "missing chromium" \
  "redress: cannot print to PDF: REDRESS_CHROMIUM is '/nonexistent/chromium', which is not an executable; install the Debian package 'chromium' (apt-get install chromium) or point REDRESS_CHROMIUM at a chromium binary" \
  env REDRESS_CHROMIUM=/nonexistent/chromium "$binary" simulate "$policy" "$scenario" --pdf "$work/none.pdf"
[ ! -e "$work/none.pdf" ] || fail "missing chromium: a file was written"

# A browser that hangs (and has started a child of its own): stopped after the timeout with
# every process it started, exit 2, no file left behind.
printf '#!/bin/sh\nsleep 300 &\necho $! >"%s/hanging-child.pid"\nsleep 300\n' "$work" >"$work/hanging-chromium"
chmod +x "$work/hanging-chromium"
expect "hanging chromium" \
  "redress: cannot print to PDF: $work/hanging-chromium did not finish within 2 seconds and was stopped (REDRESS_PDF_TIMEOUT_SECONDS sets the limit)" \
  env REDRESS_CHROMIUM="$work/hanging-chromium" REDRESS_PDF_TIMEOUT_SECONDS=2 \
  "$binary" simulate "$policy" "$scenario" --pdf "$work/hung.pdf"
[ ! -e "$work/hung.pdf" ] || fail "hanging chromium: a file was written"
sleep 0.5
# Dead means gone or a zombie (state Z) waiting for PID 1, which may reap it late.
child_state=$(awk '{print $3}' "/proc/$(cat "$work/hanging-child.pid")/stat" 2>/dev/null || true)
if [ -n "$child_state" ] && [ "$child_state" != Z ]; then fail "hanging chromium: its child still runs ($child_state)"; fi

expect "bad timeout" \
  "redress: REDRESS_PDF_TIMEOUT_SECONDS is 'soon': expected a whole number of seconds, 1-86400" \
  env REDRESS_PDF_TIMEOUT_SECONDS=soon "$binary" simulate "$policy" "$scenario" --pdf "$work/x.pdf"

# A stand-in browser that prints a fixed document where it is told to.
cat >"$work/printing-chromium" <<'SCRIPT'
#!/bin/sh
for a in "$@"; do
  case "$a" in --print-to-pdf=*) printf '%%PDF-1.4\n%% a stand-in for a printed page\n%%%%EOF\n' >"${a#--print-to-pdf=}" ;; esac
done
SCRIPT
chmod +x "$work/printing-chromium"
printf '%%PDF-1.4\n%% a stand-in for a printed page\n%%%%EOF\n' >"$work/want.pdf"
REDRESS_CHROMIUM="$work/printing-chromium" "$binary" simulate "$policy" "$scenario" --pdf "$work/t.pdf" 2>"$work/err"
status=$?
[ "$status" = 0 ] && [ "$(cat "$work/err")" = "wrote $work/t.pdf" ] || fail "stand-in chromium: exit $status"
cmp -s "$work/want.pdf" "$work/t.pdf" || fail "stand-in chromium: the PDF written is not the one printed"

# A PDF that cannot be written: exit 2 with the path and the system's reason. The full device is
# reached through a link of our own, so that nothing can ever remove /dev/full itself.
ln -s /dev/full "$work/full.pdf"
expect "PDF on a full device" "redress: cannot write \"$work/full.pdf\": No space left on device" \
  env REDRESS_CHROMIUM="$work/printing-chromium" "$binary" simulate "$policy" "$scenario" --pdf "$work/full.pdf"
expect "PDF in a missing directory" "redress: cannot write \"$work/no-such-dir/t.pdf\": No such file or directory" \
  env REDRESS_CHROMIUM="$work/printing-chromium" "$binary" simulate "$policy" "$scenario" --pdf "$work/no-such-dir/t.pdf"

# The scratch page that cannot be written: files limited to 0 bytes (SIGXFSZ ignored, so the
# write fails with EFBIG instead of killing the process). Exit 2 naming the page and the system's
# reason (it said only "cannot write the page to PATH"), the scratch directory removed.
mkdir "$work/tmp"
( ulimit -f 0; trap '' XFSZ; exec env TMPDIR="$work/tmp" REDRESS_CHROMIUM="$work/printing-chromium" \
    "$binary" simulate "$policy" "$scenario" --pdf "$work/page.pdf" ) 2>&1 >/dev/null | cat >"$work/err"
status=${PIPESTATUS[0]}
pattern="^redress: cannot print to PDF: cannot write \"$work/tmp/redress-pdf-[A-Za-z0-9]{6}/page.html\": File too large\$"
[ "$status" = 2 ] && grep -Eq "$pattern" "$work/err" && [ "$(wc -l <"$work/err")" = 1 ] ||
  fail "scratch page: exit $status, want 2 and: redress: cannot print to PDF: cannot write \"$work/tmp/redress-pdf-XXXXXX/page.html\": File too large"
[ -z "$(ls -A "$work/tmp")" ] || fail "scratch page: the scratch directory was left behind"
[ ! -e "$work/page.pdf" ] || fail "scratch page: a PDF was written"

[ "$failures" = 0 ] && echo "every PDF failure without a browser is exit 2 with its exact message"
[ "$failures" = 0 ]
