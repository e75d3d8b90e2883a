"""Issue 13's invariant: the `report` command's JSON is the same, to the cent, on the
sample, the Olist world and a generated world as when tests/data/report_golden.json
was written (tests/report_golden.py). A failure names the world, the filters and the
part (totals / channels / articles) that changed."""
from __future__ import annotations

import json

import pytest

from tests import report_golden as rg


@pytest.mark.slow
@pytest.mark.parametrize("world", ["sample", "olist", "generated"])
def test_report_json_unchanged(world):
    golden = json.loads(rg.GOLDEN.read_text())[world]
    got = rg.compute((world,)).get(world)
    if got is None:
        pytest.skip(f"world {world} is not available here")
    diffs = [f"{params} {part}" for params, parts in golden.items() for part, h in parts.items()
             if got.get(params, {}).get(part) != h]
    assert not diffs, "report JSON changed:\n" + "\n".join(diffs)
