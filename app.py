"""Content ROI — entry point: page config and navigation; each page draws the shared sidebar."""
import streamlit as st

from contentroi import st_app as ui

st.set_page_config(page_title="Content ROI", page_icon=":material/monitoring:", layout="wide")
nav, _page = ui.build_navigation()
nav.run()
