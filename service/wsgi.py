"""gunicorn entry points: ``service.wsgi:app`` for plain gunicorn, ``run()`` for the CLI."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from service.config import Config


class Server(BaseApplication):
    def __init__(self, config: Config, options: dict):
        self.config_obj = config
        self.options = options
        super().__init__()

    def load_config(self):
        from service import gunicorn_conf

        for key in dir(gunicorn_conf):
            if key in self.cfg.settings and not key.startswith("_"):
                self.cfg.set(key, getattr(gunicorn_conf, key))
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from service import create_app

        return create_app(self.config_obj)


def run(config: Config, host: str, port: int, workers: int) -> None:
    Server(config, {"bind": f"{host}:{port}", "workers": workers}).run()


def __getattr__(name: str):
    # ``gunicorn service.wsgi:app`` builds the app only when asked, not on import.
    if name == "app":
        from service import create_app

        return create_app()
    raise AttributeError(name)
