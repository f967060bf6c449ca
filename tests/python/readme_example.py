"""Runs the Python example of README.md's "From other languages" exactly as printed and checks
that it prints exactly the output shown under it. Usage: readme_example.py README.md"""
import contextlib
import io
import re
import sys

readme = open(sys.argv[1], encoding="utf-8").read()
section = readme[readme.index("## From other languages"):]
section = section[: section.index("\n## ", 1)]
code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
expected = re.search(r"```text\n(.*?)```", section, re.S).group(1)
lines = code.strip().splitlines()
if len(lines) > 12:
    sys.exit(f"the README's example has {len(lines)} lines: keep it short")
out = io.StringIO()
with contextlib.redirect_stdout(out):
    exec(compile(code, "README.md (From other languages)", "exec"), {"__name__": "__main__"})
if out.getvalue() != expected:
    sys.exit(f"the README's example printed:\n{out.getvalue()}\nbut the README shows:\n{expected}")
print(f"the README's example ({len(lines)} lines) prints what the README shows")
