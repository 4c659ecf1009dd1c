"""Scenario data for the practicum tests, shaped as an author writes scenario.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SAMPLE_PRACTICUM = Path(__file__).parents[2] / "fixtures" / "courseware" / "sample-course" / "03-practicum"


def load_sample(name: str) -> Any:
    """The sample course's scenario.yaml or assignment.yaml, as YAML data."""
    return yaml.safe_load((SAMPLE_PRACTICUM / name).read_text(encoding="utf-8"))


def texts(label: str) -> dict[str, str]:
    return {"kk": f"{label} (kk)", "ru": f"{label} (ru)", "en": f"{label} (en)"}


def choice(choice_id: str, next_id: str, **effects: int) -> dict[str, Any]:
    return {
        "id": choice_id,
        "text": texts(f"choose {choice_id}"),
        "feedback": texts(f"feedback on {choice_id}"),
        "effects": effects or {"accuracy": 0},
        "next": next_id,
    }


def decision(node_id: str, *choices: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": node_id,
        "title": texts(node_id),
        "text": texts(f"{node_id} text"),
        "choices": list(choices),
    }


def situation(node_id: str, next_id: str) -> dict[str, Any]:
    return {"id": node_id, "title": texts(node_id), "text": texts(f"{node_id} text"), "next": next_id}


def ending(node_id: str) -> dict[str, Any]:
    return {"id": node_id, "ending": True, "title": texts(node_id), "debrief": texts(f"{node_id} debrief")}


def scenario(*nodes: dict[str, Any], start: str = "desk", pass_threshold: int = 50) -> dict[str, Any]:
    return {
        "title": texts("newsroom"),
        "start": start,
        "pass_threshold": pass_threshold,
        "criteria": [{"id": "accuracy", "title": texts("accuracy")}, {"id": "harm", "title": texts("harm")}],
        "nodes": list(nodes),
    }


def newsroom() -> dict[str, Any]:
    """desk: `verify` (accuracy +2, harm +1) -> statement -> good; `rush` (accuracy -1) -> bad."""
    return scenario(
        decision(
            "desk",
            choice("verify", "statement", accuracy=2, harm=1),
            choice("rush", "bad", accuracy=-1),
        ),
        situation("statement", "good"),
        ending("good"),
        ending("bad"),
    )


def node_in(data: dict[str, Any], node_id: str) -> dict[str, Any]:
    return next(node for node in data["nodes"] if node.get("id") == node_id)


def choice_in(data: dict[str, Any], node_id: str, choice_id: str) -> dict[str, Any]:
    return next(c for c in node_in(data, node_id)["choices"] if c.get("id") == choice_id)
