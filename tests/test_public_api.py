from __future__ import annotations

import propscope
from propscope.settings import Settings, describe


def test_public_api_is_small_and_pinned() -> None:
    assert sorted(propscope.__all__) == sorted([
        "Article", "ExtractionFailed", "FetchError", "IngestError", "ModelError",
        "PropscopeError", "Removed", "Report", "StoreError", "__version__", "analyse", "analyze",
    ] + [name for name in ("compare", "Comparison") if name in propscope.__all__])


def test_every_setting_has_help_and_env_override() -> None:
    for name, _default, help_text in describe():
        assert help_text.endswith("."), name
    settings = Settings.from_env({"PROPSCOPE_FETCH_TIMEOUT": "3.5",
                                  "PROPSCOPE_ALLOW_PRIVATE_NETWORK": "yes"})
    assert settings.fetch_timeout == 3.5 and settings.allow_private_network is True


def test_errors_name_their_source_in_one_line() -> None:
    error = propscope.IngestError("bad\nthing   here", source="a.txt")
    assert error.one_line() == "a.txt: bad thing here"


def test_import_keeps_numpy_blas_to_one_thread() -> None:
    """OpenBLAS's spinning threads would fight onnxruntime's for the cores (see __init__)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    code = "import propscope, os; print(os.environ['OPENBLAS_NUM_THREADS'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"
    env["OPENBLAS_NUM_THREADS"] = "3"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "3"
