"""The public API (toolkit.__all__): every name resolves, and `import toolkit` stays light."""

import importlib
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


def test_a_submodule_never_hides_a_public_name():
    # toolkit/build.py defines build(): once the module is imported, toolkit.build is still the
    # function (it was the module, and `toolkit.build(options)` failed in the web page's builds).
    for name, module in toolkit._API.items():
        importlib.import_module(module)
        assert getattr(toolkit, name) is getattr(sys.modules[module], name), name
