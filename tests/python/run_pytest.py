"""Runs pytest on tests/python, or exits 77 (ctest: skipped) with a clear message when this
interpreter has no pytest (apt-get install python3-pytest)."""
import sys

try:
    import pytest
except ImportError:
    print(f"SKIP: {sys.executable} has no pytest: apt-get install python3-pytest (or run scripts/setup)")
    sys.exit(77)
sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", sys.argv[1]]))
