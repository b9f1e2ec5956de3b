"""The workflow's finish step (`WAGTAIL_FINISH_WORKFLOW_ACTION`)."""


def publish_on_approval(workflow_state, user=None):
    """All tasks approved the latest revision: publish it through the one publishing action."""
    from publications.actions.publish import publish_approved_revision

    revision = workflow_state.content_object.get_latest_revision()
    publish_approved_revision(revision, user)
