"""Publication windows in the application: settings, the holiday calendar, page status,
validation of pages, and the actions that change a window's state (withdraw, retire).

The rules themselves are pure, in `publications.rules`; this package feeds them from
settings and the database and applies them to pages.
"""
