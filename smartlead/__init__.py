"""SmartLead portfolio toolkit: fetch a SmartLead.ai account's campaigns and review them.

A plain Python package (no Streamlit in it) usable from a notebook, a script or the command
line (``python -m smartlead``). The dashboard in ``app.py`` and ``pages/`` is built on it.

    >>> from smartlead import campaigns_frame, demo_campaigns
    >>> frame = campaigns_frame(demo_campaigns(100))
    >>> len(frame)
    100
"""

from smartlead.demo import demo_campaigns, demo_clients
from smartlead.frame import COLUMNS, SCHEMA, campaigns_frame, empty_frame

__all__ = [
    "COLUMNS",
    "SCHEMA",
    "campaigns_frame",
    "demo_campaigns",
    "demo_clients",
    "empty_frame",
]
