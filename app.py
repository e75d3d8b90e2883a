"""Content ROI — entry point: page config and navigation; each page draws the shared sidebar
(``ui.end_page()``, its last line)."""
import streamlit as st

from contentroi import st_app as ui

st.set_page_config(page_title="Content ROI", page_icon=":material/monitoring:", layout="wide")
nav, _page = ui.build_navigation()
try:
    nav.run()
finally:
    ui.end_page()  # a page that stopped or failed without drawing its sidebar: drawn here
