"""Pages of the disputes app."""

urlpatterns: list = []
