"""Access: changing data may need the edit password (with the lockouts of
contentroi/lockout.py); the team chat's webhook from the deployment's secrets."""
from __future__ import annotations

import re
from typing import Any

import streamlit as st

from .view import t


def edit_password() -> str | None:
    """The deployment's edit password: $CONTENTROI_EDIT_PASSWORD or secrets 'edit_password'."""
    import os

    pw = os.environ.get("CONTENTROI_EDIT_PASSWORD")
    if pw:
        return pw
    try:
        return st.secrets.get("edit_password")  # type: ignore[no-any-return]
    except Exception:  # no secrets file
        return None


def edit_unlocked() -> bool:
    """True when no password is configured or this session has unlocked editing
    (shows nothing: the gate says why not)."""
    return not edit_password() or bool(st.session_state.get("_edit_ok"))


def edit_allowed() -> bool:
    """True when no password is configured or this session has unlocked editing."""
    if edit_unlocked():
        return True
    st.error(t("edit_locked"), icon=":material/lock:")
    return False


@st.cache_resource(show_spinner=False)
def _process_lockout() -> Any:
    from ..lockout import PROCESS_FREE, Lockout

    return Lockout(PROCESS_FREE)


def _on_password(key: str) -> None:
    """A password was entered: checked once per entry, through the session's and the
    process's lockouts (contentroi/lockout.py); while locked nothing is compared."""
    from .. import lockout

    entered = st.session_state.get(key) or ""
    pw = edit_password()
    if not entered or not pw:
        return
    session = st.session_state.setdefault("_pw_lockout", lockout.Lockout(lockout.SESSION_FREE))
    outcome, wait = lockout.check(entered, pw, [session, _process_lockout()])
    st.session_state["_pw_outcome"] = (outcome, wait)
    if outcome == "ok":
        st.session_state["_edit_ok"] = True
    else:
        st.session_state[key] = ""  # the same text entered again is a new try


def edit_gate(key: str) -> None:
    """The password box, shown where data can be changed when a password is configured."""
    import math

    if edit_password() and not st.session_state.get("_edit_ok"):
        st.text_input(t("edit_password"), type="password", key=key, help=t("edit_password_help"),
                      on_change=_on_password, args=(key,))
        outcome, wait = st.session_state.get("_pw_outcome") or ("", 0.0)
        if outcome == "wrong" and not wait:
            st.error(t("edit_wrong_password"), icon=":material/lock:")
        elif outcome in ("wrong", "locked"):
            st.error(t("edit_locked_out", s=max(1, math.ceil(wait))), icon=":material/lock_clock:")


def chat_target() -> Any:
    """The configured chat webhook ($CONTENTROI_WEBHOOK… over [digest] in secrets), or None.
    Without an ``app_url`` the link back is this app's own address (st.context.url)."""
    import dataclasses

    from .. import webhooks

    try:
        section = dict(st.secrets.get("digest") or {})
    except Exception:  # no secrets file
        section = {}
    target = webhooks.target_from(section)
    if target is not None and not target.app_url:
        try:
            parts = re.match(r"^(https?://[^/?#]+(?:/[^?#]*)?)", st.context.url or "")
        except Exception:  # noqa: BLE001 (not in a browser session)
            parts = None
        if parts:
            base = re.sub(r"/digest/?$|/$", "", parts.group(1))  # (called on the Digest page)
            target = dataclasses.replace(target, app_url=base)
    return target
