"""The compat= mechanism: a preset fills only the options the caller did not pass, and is recorded."""
import inspect

import pytest

from discourse import compat


def test_preset_fills_only_options_not_given(monkeypatch):
    monkeypatch.setitem(compat.PRESETS["keyness"], "quanteda", {"yates": "quanteda", "zero": "none"})

    @compat.with_compat("keyness")
    def verb(tokens, *, yates="always", zero="replace", _compat=None):
        return yates, zero, _compat

    assert verb(1) == ("always", "replace", None)
    assert verb(1, compat="quanteda") == ("quanteda", "none",
                                          {"tool": "quanteda", "options": {"yates": "quanteda", "zero": "none"}})
    # an explicit argument wins, even when it equals the default
    assert verb(1, zero="replace", compat="quanteda") == ("quanteda", "replace",
                                                         {"tool": "quanteda", "options": {"yates": "quanteda"}})
    assert "compat" in inspect.signature(verb).parameters and "_compat" not in inspect.signature(verb).parameters
    with pytest.raises(ValueError, match="compat must be one of"):
        verb(1, compat="antconc-9")
