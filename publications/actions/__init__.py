"""State changes of disclosures, in one place: admin views, commands and the API call these.

`publish.publish_approved_revision` is the only way a disclosure revision goes live.
"""
