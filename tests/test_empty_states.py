"""An empty list says what to do next, per role (issue 16): on a fresh portal, every page of every role's
navigation that shows an empty state offers a link to the next action, and no list blames a search that was
never made.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.enums import RoleCode
from accounts.navigation import navigation_for

EMPTY = re.compile(r'<p class="empty"[^>]*>(.*?)</p>', re.S)
ROLES = [None, *RoleCode.values]
# Reports, not lists: their empty wording goes with their figures (the overview and funnel work of issue 16).
REPORTS = {"/matches/overview/", "/programs/funnel/"}


@pytest.mark.parametrize("role", ROLES)
def test_every_empty_list_of_a_role_links_to_the_next_action(client, user_with_role, role):
    user = user_with_role(role) if role else AnonymousUser()
    if role:
        client.force_login(user)
    dead_ends, blamed_search = {}, {}
    for link in navigation_for(user, "/"):
        if link.url in REPORTS:
            continue
        body = client.get(link.url).content.decode()
        for text in EMPTY.findall(body):
            if "<a " not in text:
                dead_ends[link.url] = re.sub(r"\s+", " ", text).strip()
            if "検索" in text or "絞り込み" in text or "条件" in text:
                blamed_search[link.url] = re.sub(r"\s+", " ", text).strip()
    assert not dead_ends, dead_ends
    assert not blamed_search, blamed_search
