"""Signals other apps (search, open data) follow; `publications` never imports them."""

from django.dispatch import Signal

# Sent inside the transaction of a withdrawal or retention take-down, with `page` and
# `event` ("withdrawn" or "retention_taken_down"). Receivers must defer work to on_commit.
disclosure_taken_down = Signal()
