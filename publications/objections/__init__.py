"""Objections during the window (异议受理): raised by the public, handled by the office.

Pure rules in `rules`, `validators` and `codes`; state changes in `actions`; the public views in
`views`, the admin in `admin_views` (wired by `wagtail_hooks`). See docs/adr/0008-objections.md.
"""
