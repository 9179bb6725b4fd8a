"""The rules files (DESIGN §6): local practice a district may replace, each kind read and
checked with messages naming the file, the line and the key.

- reception: the handling routes (which of them hand a matter on)
- scoring: the year-end points, caps, grades, 五星 and how a 公示 reads
- duty: the grades of a 述职评议
- proposals: 联名 counts, reply months, one-matter-each keywords
- calendar: the official holidays and working days (节假日), over the chinese-calendar package
- books: the congress term (届期) and how a 督办单 reads
- schedule: how many deputies a reception day's rota takes (接待日值班人数)
"""

from .books import BookRules, Term, load_book_rules, parse_term
from .calendar import Calendar, load_calendar
from .duty import DutyRules, load_duty_rules
from .kinds import pick_rules, rule_kinds
from .proposals import ProposalRules, load_proposal_rules
from .reception import Rules, load_rules
from .schedule import load_on_duty
from .scoring import ScoringRules, load_scoring

__all__ = [
    "BookRules",
    "Calendar",
    "DutyRules",
    "ProposalRules",
    "Rules",
    "ScoringRules",
    "Term",
    "load_book_rules",
    "load_calendar",
    "load_duty_rules",
    "load_on_duty",
    "load_proposal_rules",
    "load_rules",
    "load_scoring",
    "parse_term",
    "pick_rules",
    "rule_kinds",
]
