"""How many deputies a reception day's rota takes (the 接待选民日安排表 and 公告), a local rule a
district may replace: `接待日值班人数` in forms/rules/schedule.yaml or a --rules file.

`load_on_duty(path=None)` gives the number (default 2, DESIGN §8: 2–3 deputies on duty); a value
that is not a whole number from 1 to 20 is a `ToolkitError` naming the file, the line and the key.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ToolkitError
from ..paths import FORMS_DIR
from .files import key_node, line_of, read_rules_file
from .kinds import SCHEDULE_KEYS

DEFAULT_SCHEDULE = FORMS_DIR / "rules" / "schedule.yaml"
DEFAULT_ON_DUTY = 2


def load_on_duty(path: Path | None = None) -> int:
    path = Path(path) if path else DEFAULT_SCHEDULE
    data, root = read_rules_file(path)
    key = SCHEDULE_KEYS[0]
    value = data.get(key)
    if value is None:
        return DEFAULT_ON_DUTY if path == DEFAULT_SCHEDULE else load_on_duty()
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 20:
        raise ToolkitError(
            f"“{key}”应为 1 到 20 之间的整数，而不是“{value}”",
            where=f"{path.name}{line_of(key_node(root, key) or root)}",
            hint="如：接待日值班人数: 2",
        )
    return value
