"""The Streamlit adapter: the one part of contentroi/ that imports Streamlit.

Pages import it as ``ui`` (``from contentroi import st_app as ui``) and stay thin. One
module per concern:

    view.py     the URL is the state: the view in the session <-> the query string, ``t``, ``lang``
    data.py     the store (Workspace, one read-only view per published snapshot), loads, undo,
                cached query results (``q``, ``rows``, ``q_on``), channel names
    frame.py    every page's frame: ``start_page`` (sign-in, navigation, the view from the URL,
                header, notices), ``end_page`` / ``stop`` (the shared sidebar, drawn last),
                empty states (``require_data``), ``guard``
    widgets.py  tables (labels and formats from the metrics layer), charts, CSV downloads, KPIs
    upload.py   the Data page's building blocks: inspection, mapping editor, load results
    access.py   the edit password and its lockouts; the chat webhook from secrets

Every name of those modules is re-exported here (a new public function of a module is
``ui.X`` without further ado), so ``ui.X`` / ``st_app.X`` keep working;
to patch one in a test, patch its home module (``st_app.data.SAMPLE_DIR``).
"""
from ..engine import MODELS, Params  # noqa: F401  (names the old module had)
from ..store import Store, Workspace  # noqa: F401
from .. import engine, fmt, i18n, pagelist, viewstate  # noqa: F401
from ..viewstate import ViewState  # noqa: F401
from .view import *  # noqa: F401,F403
from .view import (  # noqa: F401  (private names tests use)
    _W, _global_query, _on_filter_change, _raw_query, _seed_widgets, _state_from_widgets,
    _write_url,
)
from .data import *  # noqa: F401,F403
from .data import (  # noqa: F401  (private names tests use)
    _READERS, _READERS_LOCK, _cached_markov, _cached_plain, _cached_query, _cached_rows,
    _used_params, _version, _workspace,
)
from .frame import *  # noqa: F401,F403
from .frame import (  # noqa: F401  (private names tests use)
    _auth_configured, _copy_link, _css_text, _ensure_app_navigation, _fresh_rows, _nav,
    _reach_caption, _require_data, _require_sign_in,
)
from .widgets import *  # noqa: F401,F403
from .widgets import (  # noqa: F401  (private names tests use)
    _number_kinds,
)
from .upload import *  # noqa: F401,F403
from .upload import (  # noqa: F401  (private names tests use)
    _inspect,
)
from .access import *  # noqa: F401,F403
from .access import (  # noqa: F401  (private names tests use)
    _on_password, _process_lockout,
)
