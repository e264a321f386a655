# Filled by the import capability (registry/imports/).
app_name = "registry_import"
urlpatterns: list = []
