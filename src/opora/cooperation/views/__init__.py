"""The pages of cooperation, a module per area; each module lists its own ``urlpatterns``."""
