"""The two type-checking policies of pyproject.toml, as mypy reads them (``make lint``).

The engine is checked as by ``mypy --strict``; the web ring (every other module) with annotated
and checked functions, but not the strict-only flags. ``strict = true`` in an override would
turn strict mode on for every module, which is why the engine's flags are listed one by one.
"""

import io
from pathlib import Path

import pytest
from mypy.config_parser import parse_config_file
from mypy.main import process_options
from mypy.options import OPTIONS_AFFECTING_CACHE, Options

#: Every option that --strict could set: those that change what is checked, and two global ones.
OPTION_NAMES = sorted({*OPTIONS_AFFECTING_CACHE, "warn_redundant_casts", "warn_unused_configs"})

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"

WEB_RING = {
    "disallow_untyped_defs": True,
    "disallow_incomplete_defs": True,
    "check_untyped_defs": True,
    "strict_equality": True,
    "warn_unused_ignores": True,
}


def _project_options() -> Options:
    options = Options()
    strict_asked: list[bool] = []
    parse_config_file(options, lambda: strict_asked.append(True), str(PYPROJECT), io.StringIO())
    assert not strict_asked, "`strict = true` in pyproject.toml applies to every module"
    return options


def _strict_flags() -> dict[str, object]:
    """What ``mypy --strict`` changes from mypy's defaults, without any configuration file."""
    _sources, strict = process_options(
        ["--strict", "--config-file=", "-c", "pass"], stdout=io.StringIO(), stderr=io.StringIO()
    )
    _sources, plain = process_options(
        ["--config-file=", "-c", "pass"], stdout=io.StringIO(), stderr=io.StringIO()
    )
    return {
        name: getattr(strict, name)
        for name in OPTION_NAMES
        if getattr(strict, name, None) != getattr(plain, name, None)
    }


def test_the_engine_is_checked_as_by_mypy_strict() -> None:
    engine = _project_options().clone_for_module("filiere.engine.workflow")
    flags = _strict_flags()
    assert flags, "mypy --strict changes nothing: the comparison below would prove nothing"
    assert {name: getattr(engine, name) for name in flags} == flags


@pytest.mark.parametrize("module", ["filiere.calls.views.design", "filiere.accounts.services"])
def test_the_web_ring_has_checked_defs_without_the_strict_only_flags(module: str) -> None:
    options = _project_options()
    web = options.clone_for_module(module)
    assert {name: getattr(web, name) for name in WEB_RING} == WEB_RING
    assert not web.disallow_any_generics
    assert not web.warn_return_any
    assert web.implicit_reexport
    assert not web.implicit_optional
    assert options.warn_redundant_casts
