"""PostgreSQL as Django's backend, with a health check that costs no round trip on a
connection in steady use.

Django's ``CONN_HEALTH_CHECKS`` sends ``SELECT 1`` before the first query of every request: on
the API's short reads that was one round trip in six and, on a busy machine, a sixth of a
request's time waiting for the server. A connection that ran a request moments ago is checked
instead by looking at its socket: a server that restarts, ends an idle session or is told to
end this backend sends its farewell and closes the socket, so a readable socket (or anything
psycopg already knows is wrong) gets the full check, and a quiet one is taken as alive. A
connection idle longer than ``FULL_CHECK_AFTER_IDLE_SECONDS`` always gets the full check: a
firewall or NAT that drops an idle connection sends nothing the socket would show.
"""

from __future__ import annotations

import select
import time

from django.db.backends.postgresql import base

FULL_CHECK_AFTER_IDLE_SECONDS = 10.0


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_done: bool  # Django's, which django-stubs does not declare
    _checked_at: float | None = None

    def close_if_health_check_failed(self) -> None:
        due = (
            self.connection is not None
            and self.settings_dict["CONN_HEALTH_CHECKS"]
            and not self.health_check_done
            and not self.pool
        )
        if due:
            now = time.monotonic()
            recently = self._checked_at is not None and now - self._checked_at < (
                FULL_CHECK_AFTER_IDLE_SECONDS
            )
            self._checked_at = now
            if recently and self._socket_quiet():
                self.health_check_done = True
                return
        super().close_if_health_check_failed()

    def _socket_quiet(self) -> bool:
        """Nothing to read on the connection's socket, nor a failure psycopg already knows: an
        idle connection in good health has nothing waiting (a notice or a notification also
        makes it readable, and only costs the full check)."""
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
