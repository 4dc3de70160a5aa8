"""The stand-in's mailbox endpoints, answering as SmartLead's are recorded to, passwords included.

``GET /email-accounts/?offset=&limit=`` pages a bare array (``limit`` past 100 is refused with
422, as SmartLead does) and ``GET /campaigns/{id}/email-accounts`` lists the mailboxes one
campaign sends from (400 for a campaign the key does not own). Every record carries
``password`` and ``imap_password`` (canaries from :mod:`tests.builders`), so the leak tests
check something real.

Per key, ``standin.mailboxes[key]`` holds the records (as served) and
``standin.campaign_mailboxes[key]`` each campaign's mailbox ids; a key without them gets the
demo's mailboxes for its portfolio (:func:`smartlead.demo.demo_mailboxes`), made on first use.
Hooked into :class:`tests.standin.StandinSmartlead` with one line.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from smartlead.demo import demo_mailboxes
from tests.builders import with_passwords

if TYPE_CHECKING:
    from tests.standin import Reply, StandinRequest, StandinSmartlead

MAX_LIMIT = 100
"""SmartLead's largest page of mailboxes."""


def register_mailboxes(standin: StandinSmartlead) -> None:
    """Give ``standin`` the two mailbox routes and its per-key mailbox data."""
    standin.mailboxes = {}
    standin.campaign_mailboxes = {}
    lock = threading.Lock()

    def data(key: str) -> tuple[list[Any], dict[int, list[int]]]:
        with lock:
            if key not in standin.mailboxes:
                boxes, links = demo_mailboxes(list(standin.portfolios.get(key, [])))
                standin.mailboxes[key] = [with_passwords(record) for record in boxes]
                standin.campaign_mailboxes.setdefault(key, links)
            return standin.mailboxes[key], standin.campaign_mailboxes.setdefault(key, {})

    def listed(request: StandinRequest) -> Reply:
        from tests.standin import Reply

        try:
            offset = int(request.query.get("offset", "0"))
            limit = int(request.query.get("limit", str(MAX_LIMIT)))
        except ValueError:
            return Reply.json({"message": "offset and limit must be numbers"}, status=422)
        if limit > MAX_LIMIT or limit < 1 or offset < 0:
            return Reply.json({"message": f"limit must be between 1 and {MAX_LIMIT}"}, status=422)
        records, _ = data(request.api_key or "")
        return Reply.json(records[offset : offset + limit])

    def of_campaign(request: StandinRequest) -> Reply:
        from tests.standin import Reply

        if standin._owned(request) is None:
            return Reply.json({"error": "Invalid campaign id'"}, status=400)
        records, links = data(request.api_key or "")
        wanted = links.get(int(request.params["campaign_id"]), [])
        by_id = {record.get("id"): record for record in records if isinstance(record, dict)}
        return Reply.json([by_id[m] for m in wanted if m in by_id])

    standin.add_route("GET", r"/email-accounts", listed)
    standin.add_route("GET", r"/campaigns/(?P<campaign_id>\d+)/email-accounts", of_campaign)
