"""Every route says who may call it (the authorization matrix of every route × role builds on this)."""

from __future__ import annotations

from app.security import access_of


def test_every_endpoint_declares_who_may_call_it(app):
    undeclared = [
        rule.endpoint for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and access_of(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []
