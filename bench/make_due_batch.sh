#!/usr/bin/env bash
# TIME<TAB>DURATION lines for `redress due --batch` (bench/README.md, "due --batch"): starts
# anywhere in 2026 at minute resolution, written with an offset (UTC as Z, or the London offset
# of the time), a few distinct durations of each kind. The output is a scratch file: write it
# under build/, never commit it.
#   bench/make_due_batch.sh [LINES] [SEED] > build/due-batch.tsv
set -euo pipefail
awk -v n="${1:-1000000}" -v seed="${2:-15}" 'BEGIN {
  srand(seed); start = 1767225600; span = 365 * 86400;   # 2026-01-01T00:00:00Z
  k = split("15 business days|40 business hours|8 weeks|1 month|90 business minutes|20 business days", d, "|");
  for (i = 0; i < n; i++) {
    t = start + int(rand() * span / 60) * 60;
    if (rand() < 0.5) {
      stamp = strftime("%Y-%m-%dT%H:%M:%SZ", t, 1);
    } else {   # British Summer Time 2026: 29 March 01:00Z to 25 October 01:00Z
      bst = (t >= 1774746000 && t < 1792890000);
      stamp = strftime("%Y-%m-%dT%H:%M:%S", t + (bst ? 3600 : 0), 1) (bst ? "+01:00" : "+00:00");
    }
    printf "%s\t%s\n", stamp, d[1 + int(rand() * k)];
  }
}'
