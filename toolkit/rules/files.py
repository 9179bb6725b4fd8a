"""Reading a rules file: its mapping, the node tree that gives each key's line, and the
message helpers every kind of rules file shares."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from .. import yamltext
from ..errors import ToolkitError, os_reason

_READ: dict[tuple[str, int, int], tuple[dict[str, Any], yaml.MappingNode]] = {}


def read_rules_file(path: Path) -> tuple[dict[str, Any], yaml.MappingNode]:
    """A rules file's mapping and its node tree (for the line of each key). A file that cannot be
    read, is not YAML, or is not “键: 值” is a ToolkitError naming the file (and the line).

    Parsed once per version of the file: a build asks for it to recognise its kind and then to
    load each kind (about nine parses of one `--rules` file before). The mapping is handed out
    as a copy, so no reader can change another's."""
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        found = _READ.get(key)
        if found is not None:
            return copy.deepcopy(found[0]), found[1]
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ToolkitError(f"无法读取规则文件“{path}”：{os_reason(exc)}") from None
    try:
        node = yamltext.compose(text)
        data: Any = yamltext.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name} 第{mark.line + 1}行" if mark else path.name
        raise ToolkitError(
            "规则文件格式有误", where=where, hint="请检查缩进和冒号（YAML 格式）"
        ) from None
    except ValueError:  # a value YAML reads as a date but no calendar has (2027-13-01)
        bad = _impossible_date(node)
        where = f"{path.name}{line_of(bad)}" if bad is not None else path.name
        value = f"“{bad.value}”" if bad is not None else ""
        raise ToolkitError(
            f"{value}不是有效日期", where=where, hint="日期写成 2027-10-01（年-月-日）"
        ) from None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise ToolkitError("规则文件应为“键: 值”的形式", where=path.name)
    _READ[key] = (copy.deepcopy(data), node)
    return data, node


def line_of(node: yaml.Node | None) -> str:
    """ " 第N行" of a node of a rules file, for the place of a message ("" without a node)."""
    return f" 第{node.start_mark.line + 1}行" if node is not None else ""


def key_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The node of `key` itself in a mapping node (its line is the key's line)."""
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if k.value == key:
                return k
    return None


def _impossible_date(node: Any) -> yaml.ScalarNode | None:
    """The first scalar of a node tree that looks like a date but is none (2027-13-01)."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.SafeLoader(node.value).construct_yaml_timestamp(node)
            except ValueError:
                return node
        return None
    children = node.value if isinstance(node, yaml.SequenceNode | yaml.MappingNode) else []
    for child in children:
        for item in child if isinstance(child, tuple) else (child,):
            found = _impossible_date(item)
            if found is not None:
                return found
    return None
