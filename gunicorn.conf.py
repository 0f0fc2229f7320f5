"""gunicorn's settings for the portal: gunicorn reads ./gunicorn.conf.py by itself, so the
Docker image, the compose stack and bench/load.py all serve with these.

Threads: a request spends much of its time waiting for PostgreSQL, and a waiting thread holds
no lock on Python, so with several threads per worker a cheap page (the cached dashboard) is
answered while a costly one waits for its query, instead of queueing behind it
(docs/performance.md#load-the-three-roles-traffic). Each thread keeps its own database
connection: WEB_CONCURRENCY x WEB_THREADS of them in all (docs/operations.md).
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("WEB_THREADS", "4"))

# Seconds an idle keep-alive connection stays open. Longer than a proxy's or client's own idle
# timeout (nginx keeps upstream connections 60 s), so the client, not gunicorn, closes it: when
# gunicorn closes a connection just as a request arrives on it, that request fails (gunicorn's
# default of 2 s did so under bench/load.py, whose users pause up to 2 s between requests).
keepalive = int(os.environ.get("WEB_KEEPALIVE", "75"))
