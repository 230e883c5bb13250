"""Who may see and change what in the programme catalogue and the funnel (DESIGN.md §3)."""

import rules

from accounts.rules import is_curator, is_government_user, is_portal_admin
from seeds.rules import is_member_of_startup

rules.add_perm("programs.manage_catalogue", is_curator)
# A startup's eligibility reads its profile: for government users and the startup's own members.
rules.add_perm("programs.view_startup_programs", is_government_user | is_member_of_startup)
# DESIGN.md §2: portal admins see the funnel analytics too.
rules.add_perm("programs.view_funnel", is_government_user | is_portal_admin)
