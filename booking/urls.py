"""Pages: the slot picker, booking pages and the coach area."""

urlpatterns = []
