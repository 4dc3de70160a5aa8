"""Links from the dashboard to each campaign's page in SmartLead's own app (pure).

Only a campaign's id goes into the address, and only when it is a whole positive number:
nothing SmartLead sends as text (a name, a tag) ever becomes part of a link.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real

import pandas as pd


def campaign_url(campaign_id: object, template: str | None) -> str | None:
    """The campaign's page in SmartLead's app (``template`` with its ``{id}``), or None when
    there is no template or the id is not a whole positive number."""
    if template is None or isinstance(campaign_id, bool) or campaign_id is None:
        return None
    if isinstance(campaign_id, Integral) or (
        isinstance(campaign_id, Real)
        and math.isfinite(campaign_id)
        and campaign_id == int(campaign_id)
    ):
        number = int(campaign_id)
    else:
        return None
    return template.replace("{id}", str(number)) if number > 0 else None


def campaign_urls(ids: Iterable[object], template: str | None) -> pd.Series:
    """:func:`campaign_url` of every id, as text (missing where there is no link)."""
    return pd.Series(
        [campaign_url(None if pd.isna(i) else i, template) for i in ids], dtype="string"
    )
