"""The pages of casework, a module per area; each module lists its own ``urlpatterns``."""
