"""WSGI entry point for uWSGI.

The application is loaded at import, so a freshly forked worker (lazy-apps, chain
reload) has Django set up before it accepts its first request.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")

application = get_wsgi_application()
