"""Issuer-scoped rights (ADR 0015): which issuers an account acts for, and what that allows.

- `scope`: pure rules over the issuer tree (no ORM): the subtree an account's memberships
  reach, and the board that names an issuer's reviewers, committee and quorum.
- `models`: `IssuerMembership` (an account belongs to an issuer) and `ReviewBoard` (an
  issuer's, or a level's default, reviewers, committee and quorum).
- `access`: `issuers_for(user)` and `can_act_on(user, issuer)`, read from the database once
  per request, and the querysets every admin path filters by.
- `pages`: the page permission policy and tester that apply the rule to Wagtail's page tree,
  explorer, search, chooser, bulk actions, revisions and the admin API.
"""
