"""The server error page (``handler500``): in the layout and the reader's language when the
layout can still be drawn, else a plain page that needs nothing but this module.

The 404 and 403 pages are Django's own views with our templates (``404.html``, ``403.html``,
in the layout); the 400 page (``400.html``) stands alone, because a request refused for its
Host header cannot be trusted to build the layout's links.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render

logger = logging.getLogger(__name__)

# What is left when the layout itself fails (the database is down, a template is broken): no
# template engine, no database, both languages at once.
PLAIN_SERVER_ERROR = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Опора · Opora</title></head>
<body>
<h1>Произошла ошибка</h1>
<p>Мы уже знаем о ней. Попробуйте ещё раз через минуту.</p>
<p><a href="/">На главную</a></p>
<hr>
<h2 lang="en">Something went wrong</h2>
<p lang="en">It has been logged; please try again in a minute.</p>
<p lang="en"><a href="/">Back to the dashboard</a></p>
</body></html>
"""


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The server error page could not be drawn in the layout")
        return HttpResponseServerError(PLAIN_SERVER_ERROR)
