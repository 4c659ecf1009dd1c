"""YAML that remembers line numbers, so every complaint can name the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LinedDict(dict):
    """A mapping read from YAML, with the line of each key (1-based)."""

    line: int = 0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class LinedList(list):
    line: int = 0
    item_lines: list[int] = []

    def line_of_item(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class YamlError(ValueError):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


class _Loader(yaml.SafeLoader):
    line_offset = 0


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LinedDict:
    loader.flatten_mapping(node)
    result = LinedDict()
    result.line = node.start_mark.line + 1 + loader.line_offset
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise YamlError("a key must be plain text", key_node.start_mark.line + 1 + loader.line_offset)
        if key in result:
            raise YamlError(f"duplicate key {key!r}", key_node.start_mark.line + 1 + loader.line_offset)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1 + loader.line_offset
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LinedList:
    result = LinedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.item_lines = [child.start_mark.line + 1 + loader.line_offset for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def parse_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML text; errors carry the line counted from ``first_line``."""
    loader = _Loader(text)
    loader.line_offset = first_line - 1
    try:
        return loader.get_single_data()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else None
        raise YamlError(f"bad YAML: {error.problem or error}", line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"bad YAML: {error}", None) from None
    finally:
        loader.dispose()


def read_yaml(path: Path) -> Any:
    return parse_yaml(path.read_text(encoding="utf-8"))


def dump_yaml(data: Any) -> str:
    """YAML as authors write it: UTF-8 text, keys in the given order, 120-character lines."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
