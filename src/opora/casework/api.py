from opora.core.api_support import Router

router = Router(tags=["casework"])
