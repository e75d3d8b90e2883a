"""models_hash digests what runs: a comment, a blank line or a docstring does not
rebuild every store on upgrade (3.5-7 min at 10x); any change to a statement or to the
markov solver's code does."""
from __future__ import annotations

import shutil

import pytest

from contentroi import store
from contentroi.paths import MODELS_DIR


def _copy(tmp_path, monkeypatch):
    models = tmp_path / "models"
    shutil.copytree(MODELS_DIR, models)
    markov = tmp_path / "markov.py"
    shutil.copy(store._MARKOV, markov)
    monkeypatch.setattr(store, "MODELS_DIR", models)
    monkeypatch.setattr(store, "_MARKOV", markov)
    return models, markov


@pytest.fixture
def copies(tmp_path, monkeypatch):
    return _copy(tmp_path, monkeypatch)


def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_the_copies_hash_as_the_models(tmp_path, monkeypatch):
    """Where the files are is not part of it (a checkout elsewhere, a copy here)."""
    real = store.models_hash()
    _copy(tmp_path, monkeypatch)
    assert store.models_hash() == real


def test_comments_and_blank_lines_do_not_change_it(copies):
    models, _ = copies
    h0 = store.models_hash()
    f = models / "14_fct_user_article.sql"
    _edit(f, "CREATE", "-- a new comment line\n-- and another\n\n\nCREATE")
    _edit(f, "SELECT", "SELECT  -- a trailing comment\n    ")
    assert store.models_hash() == h0


def test_a_statement_change_changes_it(copies):
    models, _ = copies
    h0 = store.models_hash()
    _edit(models / "13_stg_payments.sql", "WHERE event = 'payment'", "WHERE event = 'payment' AND true")
    assert store.models_hash() != h0


def test_white_space_inside_a_string_is_data(copies):
    models, _ = copies
    f = models / "13_stg_payments.sql"
    _edit(f, "WHERE event = 'payment'", "WHERE event = 'pay ment'")
    one = store.models_hash()
    _edit(f, "WHERE event = 'pay ment'", "WHERE event = 'pay  ment'")
    assert store.models_hash() != one


def test_a_new_model_file_changes_it(copies):
    models, _ = copies
    h0 = store.models_hash()
    (models / "99_extra.sql").write_text("CREATE OR REPLACE TABLE x AS SELECT 1 AS a;\n", encoding="utf-8")
    assert store.models_hash() != h0


def test_markov_docstrings_and_comments_do_not_change_it(copies):
    _, markov = copies
    h0 = store.models_hash()
    text = markov.read_text(encoding="utf-8")
    first = text.index('"""', 3) + 3  # the module docstring's end
    markov.write_text(text[:3] + "Reworded. " + text[3:first] + "\n# a comment\n" + text[first:],
                      encoding="utf-8")
    _edit(markov, '"""One window\'s chain', '"""One window\'s Markov chain')
    assert store.models_hash() == h0


def test_markov_code_changes_it(copies):
    _, markov = copies
    h0 = store.models_hash()
    text = markov.read_text(encoding="utf-8")
    markov.write_text(text + "\n\ndef _unused():\n    return 1\n", encoding="utf-8")
    assert store.models_hash() != h0
