"""The Streamlit-aware pieces every page shares (the ``smartlead`` package stays UI-free)."""
