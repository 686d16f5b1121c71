"""The OpenAPI document, generated from the marshmallow schemas."""

from __future__ import annotations

import yaml
from flask import Flask


def spec_dict(app: Flask) -> dict:
    with app.app_context():
        return app.extensions["api"].spec.to_dict()


def spec_yaml(app: Flask) -> str:
    return yaml.safe_dump(spec_dict(app), sort_keys=False, allow_unicode=True)
