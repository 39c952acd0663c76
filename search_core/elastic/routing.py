"""Which shard copies answer a search: the ``preference`` request parameter."""

from __future__ import annotations

import hashlib

import orjson
from pydantic import BaseModel


def preference(q: BaseModel) -> str:
    """The ``preference`` of a search: the same for every page of one query, so its pages are
    served by the same shard copies (replicas may score a little differently, which would
    shuffle pages), and different across queries, so the load still spreads over replicas."""
    data = q.model_dump(mode="json", exclude={"offset", "size", "cursor"})
    if data.get("online", 0) is None:
        del data["online"]  # a plain search keeps the preference it had before the online list
    return hashlib.sha1(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]
