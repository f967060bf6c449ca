#!/usr/bin/env bash
# Writes a helpdesk feed: 300 complaints over five working weeks, 7 lines each (an opening and six
# events), the complaints' lines interleaved.
#   make_feed.sh OUT in-order   lines in event-time order
#   make_feed.sh OUT late       as a real feed delivers them: about one event in four arrives
#                               late, by up to 59 minutes (phone agents logging calls afterwards)
set -u
out=$1 order=$2
awk -v late="$([ "$order" = late ] && echo 1 || echo 0)" 'BEGIN {
  srand(20261124); base = 1774256400;   # 2026-03-23T09:00:00Z
  split("staff organisation product-quality claim suggestion", kinds, " ");
  split("phone chat email web in-person", channels, " ");
  n = split("acknowledge register start_investigation request_information customer_replied send_response", events, " ");
  for (i = 1; i <= 300; i++) {
    t = base + int((i - 1) / 12) * 86400 + ((i - 1) % 12) * 1500;
    id = sprintf("K-%03d", i);
    printf "%d\t%d\t{\"complaint\":\"%s\",\"received\":\"%s\",\"kind\":\"%s\",\"channel\":\"%s\",\"priority\":\"%s\",\"customer_name\":\"Customer %d\",\"return_address\":\"c%d@example.org\"}\n", t, t, id, iso(t), kinds[1 + i % 5], channels[1 + i % 5], (i % 7 == 0 ? "urgent" : "normal"), i, i;
    for (k = 1; k <= n; k++) {
      t += 1800 + int(rand() * 20000);
      r1 = rand(); r2 = rand();   # drawn either way, so both orders hold the same lines
      arrives = t + (late && r1 < 0.25 ? int(r2 * 3540) : 0);
      extra = events[k] == "request_information" ? ",\"reason\":\"documents\"" : "";
      printf "%d\t%d\t{\"complaint\":\"%s\",\"at\":\"%s\",\"event\":\"%s\"%s}\n", arrives, t, id, iso(t), events[k], extra;
    }
  }
}
function iso(t) { return strftime("%Y-%m-%dT%H:%M:%SZ", t, 1) }' | sort -s -n -k1,1 -k2,2 | cut -f3- > "$out"
