"""Core pages: the MPP manager's working-day calendar (and, for benchmarks only, a minimal view)."""

from django.urls import path

from mpp.core import calendar_views
from mpp.env import env_bool

app_name = "core"

urlpatterns = [
    path("kelola/kalender/", calendar_views.calendar_page, name="calendar"),
    path("kelola/kalender/hapus/", calendar_views.calendar_clear, name="calendar_clear"),
]

# The benchmark's yardstick: never routed unless the bench starts the server with this flag.
if env_bool("MPP_BENCH_VIEWS", False):
    from mpp.core.bench_views import minimal

    urlpatterns.append(path("_bench/minimal", minimal, name="bench_minimal"))
