"""The public API (toolkit.__all__): every name resolves, and `import toolkit` stays light."""

import subprocess
import sys

import toolkit


def test_every_public_name_resolves():
    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None, name


def test_importing_the_package_loads_no_renderer():
    heavy = "('weasyprint', 'docx', 'openpyxl')"
    code = f"import sys, toolkit; print(any(m.startswith({heavy}) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
