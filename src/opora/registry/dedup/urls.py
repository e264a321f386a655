# Filled by the deduplication capability (registry/dedup/).
app_name = "registry_dedup"
urlpatterns: list = []
