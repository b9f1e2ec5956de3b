"""Publication rules: working days and publication windows.

Pure Python: no Django, no ORM, no clock reads. Every function takes the time
(timezone-aware datetimes), the working-day calendar and the window policy as
arguments, so models, admin forms, the API and the scheduler all get the same
answer for the same inputs.
"""
