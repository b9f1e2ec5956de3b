"""Review and approval: tasks, who may act on them, recusal, and the guard on going live.

- `policies`: pure rules deciding whether a person may act on a review task (no ORM).
- `facts`: gathers what the rules need from the database.
- `recusal`: declared conflicts (回避) and the exam-number HMAC they match by.
- `models`: the task types (初审, 集体审定), quorum votes, recusals, approved revisions.
- `guard`: the last line of defence: a disclosure page goes live, or comes down, only
  through `publications.actions`.
- `second_factor`: TOTP enrolment and the throttled admin login.
"""
