"""The yardstick of bench/freshlink.py: the smallest Streamlit page that shows a number."""
import streamlit as st

st.metric("Revenue", "¥1,234")
