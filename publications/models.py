from .ledger.models import *  # noqa: F403
