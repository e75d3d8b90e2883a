"""Where things live on disk."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
MODELS_DIR = QUERIES_DIR / "models"
DATA_DIR = ROOT / "data"
SAMPLE_DIR = DATA_DIR / "sample"


def default_db_path() -> Path:
    """The app's default store: $CONTENTROI_DB, else data/contentroi.duckdb."""
    env = os.environ.get("CONTENTROI_DB")
    return Path(env) if env else DATA_DIR / "contentroi.duckdb"


def workspace_tz() -> str:
    """Time zone that offsets in input datetimes are converted to."""
    return os.environ.get("CONTENTROI_TZ", "Asia/Shanghai")
