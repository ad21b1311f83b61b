"""Pages of the insights app."""

urlpatterns: list = []
