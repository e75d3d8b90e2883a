"""The Streamlit adapter: the one part of contentroi/ that imports Streamlit.

Pages import it as ``ui`` (``from contentroi import st_app as ui``) and stay thin. One
module per concern:

    view.py     the URL is the state: the view in the session <-> the query string, ``t``, ``lang``
    data.py     the store (Workspace, one read-only view per published snapshot), loads, undo,
                cached query results (``q``, ``rows``, ``q_on``), channel names
    frame.py    every page's frame: ``start_page`` (sign-in, navigation, the shared sidebar,
                header, notices), empty states (``require_data``), ``guard``
    widgets.py  tables (labels and formats from the metrics layer), charts, CSV downloads, KPIs
    upload.py   the Data page's building blocks: inspection, mapping editor, load results
    access.py   the edit password and its lockouts; the chat webhook from secrets

Every name of those modules is re-exported here, so ``ui.X`` / ``st_app.X`` keep working;
to patch one in a test, patch its home module (``st_app.data.SAMPLE_DIR``).
"""
from ..engine import MODELS, Params  # noqa: F401  (names the old module had)
from ..store import Store, Workspace  # noqa: F401
from .. import engine, fmt, i18n, pagelist, viewstate  # noqa: F401
from ..viewstate import ViewState  # noqa: F401
from .view import (  # noqa: F401
    GLOBAL_KEYS, _global_query, lang, _on_filter_change, PageDef, PAGES, _raw_query,
    _seed_widgets, set_page_params, set_view, _state_from_widgets, t, view, _W, _write_url,
)
from .data import (  # noqa: F401
    _cached_markov, _cached_plain, _cached_query, _cached_rows, can_undo, channel_label,
    channel_labels, channel_list, channel_names, clear_store, data_mix, data_version,
    ensure_sample, get_store, is_sample_only, load_sample, load_upload, load_uploads,
    markov_effects, notes, q, q_on, read_view, _READERS, _READERS_LOCK, remove_sample, rows,
    save_channel_names, store_is_empty, totals, undo_last, _used_params, _version,
    _workspace, workspace,
)
from .frame import (  # noqa: F401
    _auth_configured, build_navigation, _copy_link, describe_filters,
    _ensure_app_navigation, _fresh_rows, freshness_notice, guard, _nav, page_header,
    _reach_caption, render_sidebar, _require_data, require_data, _require_sign_in,
    snapshot_notice, start_page,
)
from .widgets import (  # noqa: F401
    chart, column_config, count, csv_import_export, csv_labels, days, display_frame, download, download_name,
    for_people, kpi, md, money, _number_kinds, pct, ratio, recall, remember, safe_csv, styled, table, today,
    told, write_and_tell,
    wan_text,
)
from .upload import (  # noqa: F401
    col_label, column_spec_rows, _inspect, limit_files, load_text, mapping_editor,
    MAX_UPLOAD_FILES, missing_required, preview_file, said, sample_choice, show_load_result,
    upload_history_shown, upload_keys, upload_labels,
)
from .access import (  # noqa: F401
    chat_target, edit_allowed, edit_gate, edit_password, edit_unlocked, _on_password,
    _process_lockout,
)
