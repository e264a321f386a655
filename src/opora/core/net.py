from django.conf import settings


def client_ip(request) -> str:
    """The client's address. Behind ``OPORA_TRUSTED_PROXY_COUNT`` reverse proxies it is the
    entry that the outermost trusted proxy appended to X-Forwarded-For; entries further left
    were written by the client and are not trusted."""
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    if proxies <= 0 or request is None:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote
