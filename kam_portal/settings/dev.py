"""Local development: the default for `make run`. SQLite unless DATABASE_URL says otherwise."""

from kam_portal.settings.base import *  # noqa: F403
from kam_portal.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is fine for a laptop; production.py refuses to start without a real one.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
