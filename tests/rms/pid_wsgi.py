"""The app as uWSGI serves it, telling which worker answered (tests of shared state)."""

import os

from rms.wsgi import application as rms_application


def application(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info)

    return rms_application(environ, start)
