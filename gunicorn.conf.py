"""gunicorn's settings, read from the project directory (`gunicorn clinic.wsgi`)."""


def post_worker_init(worker):  # noqa: ANN001, ANN201 (gunicorn's hook)
    """Once the worker has loaded Django: load what every request shares and
    freeze it out of the garbage collector's reach (clinic/warm_up.py)."""
    from clinic.warm_up import worker_warm_up

    frozen = worker_warm_up()
    worker.log.debug("worker %s: %s start-up objects frozen", worker.pid, frozen)
