"""Settings: ``base`` (no secrets, DEBUG off), ``dev``, ``test``, ``production``.

The environment is read in one place, :mod:`sunshine.settings.environment`.
"""
