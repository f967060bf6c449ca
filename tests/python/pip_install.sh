#!/usr/bin/env bash
# Installs the Python package with pip as Debian 12 allows it (a virtual environment with the
# system's packages, no build isolation, no index: nothing downloaded), then imports it from
# outside the repository and runs one complaint to its first escalation.
#   tests/python/pip_install.sh [WORK_DIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$src/build/pip}
python=${PYTHON:-/usr/bin/python3}
rm -rf "$work" && mkdir -p "$work"
"$python" -m venv --system-site-packages "$work/venv"
"$work/venv/bin/pip" install --no-build-isolation --no-index --quiet "$src"
cd "$work"
"$work/venv/bin/python" - "$src" <<'PY'
import sys
from datetime import datetime, timedelta, timezone
import redress
assert redress.__file__.startswith(sys.prefix), redress.__file__   # the installed copy
bst = timezone(timedelta(hours=1))
engine = redress.Engine(redress.load_policy(sys.argv[1] + "/rules/iso10002.toml"))
engine.open("C-17", datetime(2026, 4, 1, 14, 0, tzinfo=bst), kind="product-quality", channel="phone",
            customer_name="Ann Example")
engine.apply("C-17", redress.Event.ACKNOWLEDGE, datetime(2026, 4, 1, 14, 30, tzinfo=bst))
engine.apply("C-17", redress.Event.REGISTER, datetime(2026, 4, 2, 9, 0, tzinfo=bst))
assert engine.next_wakeup() == datetime(2026, 4, 9, 15, 30, tzinfo=bst), engine.next_wakeup()
print("pip-installed redress", redress.version(), "from", redress.__file__)
PY
