#!/usr/bin/env bash
# `redress report` on the retail week (examples/scenarios/retail-week.toml, rules/iso10002.toml,
# England and Wales calendar: Mon-Fri 09:00-17:00 Europe/London) for the period Monday 23 to
# Sunday 29 March 2026: figures worked out by hand from the scenario file. Each expected line is
# a whole CSV row (section,item,figure,value), matched exactly.
#   report_retail_week.sh REDRESS_BINARY SOURCE_DIR
set -u
binary=$1 src=$2
out=$("$binary" report "$src/rules/iso10002.toml" "$src/examples/scenarios/retail-week.toml" \
  --from 2026-03-23 --to 2026-03-29 --csv)
status=$?
failed=0
[ $status = 0 ] || { echo "exit status $status"; failed=1; }
expect() {
  if ! grep -qxF -- "$1" <<<"$out"; then echo "missing row: $1"; failed=1; fi
}

# Received: the file has 24 complaints (C-101..C-124), all received 23-28 March; C-112 (a letter
# without a return address) is refused at intake, so 23 are received. Letters: C-104, C-113.
expect "received,,total,23"
expect "received,channel letter,complaints,2"
# Closed (reaching the closed state) in the period: C-106 (Tue 24, 09:45), C-118 (Fri 27, 11:26)
# and C-110 (Fri 27, 15:10; it reopens on the 31st, after the period). C-124's close from
# investigating is refused. All three within 3 business days of receipt; none had a proposed
# resolution (first-contact or direct responses), so none counts as upheld or not upheld.
expect "closed,,total,3"
expect "closed,,within_3_business_days,3"
expect "closed,,no_resolution,3"
expect "closed,,upheld,0"
# Withdrawn in the period: C-108 and C-123.
expect "withdrawn,,total,2"
# Open at the period's end: 23 received - 3 closed - 2 withdrawn (C-108, C-123) = 18.
expect "open_at_end,,total,18"
# primary-response: due by 17:00 on the day of receipt (the next business day when received
# after hours). Breached: C-104 (Mon 15:50, acknowledged Tue 09:30), C-124 (Tue 16:55, Wed
# 09:00), C-116 (Fri 16:45, Mon 30 09:10). C-117 (Sat) is acknowledged Mon 30: after the period.
# The other 19 are acknowledged in time: 23 - 3 - 1 = 19 met.
expect "target,primary-response,met,19"
expect "target,primary-response,breached,3"
# The breach actions name the owner of each at the time: C-104 organisation -> head-of-service,
# C-124 product-quality -> quality, C-116 staff -> store-manager; the fourth breach is C-120's
# keep-customer-informed (registered Tue 24 15:00, 3 business days: due Fri 27 23:59:59, the
# first contact is on the 31st), a claim -> handler, by chat.
expect "breaches,,total,4"
expect "breaches,target primary-response,breaches,3"
expect "breaches,target keep-customer-informed,breaches,1"
expect "breaches,owner head-of-service,breaches,1"
expect "breaches,owner handler,breaches,1"
expect "breaches,channel chat,breaches,2"
# final-response: six clocks stop in the period, each met; working time taken (09:00-17:00, the
# pause of C-102 excluded):
#   C-106 Tue 09:20-09:40                                   =  1,200 s
#   C-118 Fri 11:00-11:20                                   =  1,200 s
#   C-102 Mon 10:40-17:00 6h20 + Tue 09-10 1h (paused Tue 10:00-Thu 15:00)
#         + Thu 15-17 2h + Fri 09-16 7h = 16h20              = 58,800 s
#   C-101 Mon 09:12-17:00 7h48 + Tue 8h + Wed 09-10 1h = 16h48 = 60,480 s
#   C-110 Wed 12-17 5h + Thu 8h + Fri 09-15 6h = 19h          = 68,400 s
#   C-119 Mon 09:40-17:00 7h20 + Tue 8h + Wed 8h + Thu 09-10 1h = 24h20 = 87,600 s
# Nearest rank of 6 values: p50 is the 3rd (58,800), p90 and p95 the 6th (87,600).
expect "target,final-response,met,6"
expect "target,final-response,breached,0"
expect "target,final-response,stopped,6"
expect "target,final-response,taken_p50_working_seconds,58800"
expect "target,final-response,taken_p90_working_seconds,87600"
expect "target,final-response,taken_p95_working_seconds,87600"
# Promises: C-103's (26 Mar 12:00) kept by the contact at 11:00; C-111's (27 Mar 12:00) broken,
# the contact comes at 15:00; C-120's (31 Mar) is decided after the period.
expect "promises,,kept,1"
expect "promises,,broken,1"

if [ $failed != 0 ]; then echo "--- actual"; echo "$out"; exit 1; fi
echo "ok"
