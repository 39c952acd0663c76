"""Which set each judged query belongs to, read from the query file (``"set"`` on a line of
``relevance/queries.jsonl``; a line without one is in the first set, ``lab``).

The judgment list does not carry the set (its lines define the query only), so figures per
set come from here: the lab's first 86 queries (``lab``, which the gate guards) and what people
type into the one search box (``searchbox``: words anywhere, typos, places anywhere, names).
"""

from __future__ import annotations

from pathlib import Path

from search_core.relevance.judgments import read_jsonl
from search_core.settings import PROJECT_ROOT

QUERIES_FILE = PROJECT_ROOT / "relevance" / "queries.jsonl"
DEFAULT_SET = "lab"


def load_sets(path: Path | str = QUERIES_FILE) -> dict[str, str]:
    """qid → set of every query of the query file ({} when there is no such file)."""
    p = Path(path)
    if not p.is_file():
        return {}
    return {
        str(obj["qid"]): str(obj.get("set") or DEFAULT_SET)
        for _, obj in read_jsonl(p)
        if "qid" in obj
    }
