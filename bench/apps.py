from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling: `manage.py bench_seed` and `bench_manifest`. The
    query counter and the floor view are wired only in bench.settings."""

    name = "bench"
    verbose_name = "Benchmarks"
