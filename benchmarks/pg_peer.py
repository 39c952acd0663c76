"""The peer: the same directory on PostgreSQL full-text search with geo (one machine, no engine).

:class:`PgCluster` runs a throw-away PostgreSQL from Debian's packages (``initdb`` + ``pg_ctl``
in a temporary directory, as the ``postgres`` user when we are root, listening on a Unix socket
only). :func:`load` puts a fixture set in it with ``COPY`` (the JSONL is parsed in Python while
PostgreSQL computes the ``tsvector`` columns) and builds the indexes: GIN on the text vectors,
GiST on ``ll_to_earth(lat, lon)`` (``cube`` + ``earthdistance``), B-trees for prefixes, and
materialised views with the browse counts. :class:`PgPeer` answers each workload request with
one SQL statement (one round trip) and returns the parsed JSON.

What each query does, and where it differs from the embedded engine, is in
``docs/benchmarks.md`` ("The PostgreSQL peer").
"""

from __future__ import annotations

import glob
import json
import math
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from benchmarks.workload import Request
from search_core.queries import DEFAULT_RADIUS_MI
from search_core.results import Suggestion
from search_core.slugs import city_slug
from search_core.text_query import QueryUnit, parse
from search_core.tuning import Tuning
from search_core.typeahead import (
    VOCABULARY_SOURCES,
    VOCABULARY_TABLE,
    Sources,
    fold,
    interleave,
)
from search_core.units import KM_PER_MILE
from search_core.vocabulary import (
    AGE_GROUPS,
    ARTICLE_TOPICS,
    INSURANCE,
    ISSUES,
    LANGUAGES,
    POPULATIONS,
    PROFESSIONS,
    THERAPY_TYPES,
)

if TYPE_CHECKING:  # imported when used: the harness runs without the peer when it is missing
    import psycopg

SETTINGS = {
    "shared_buffers": "1GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "1GB",
    "effective_cache_size": "8GB",
    "random_page_cost": "1.1",
    "max_connections": "60",
    "jit": "off",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_wal_size": "8GB",
    "listen_addresses": "''",
}
"""A tuned single-machine set-up: 1 GB of shared buffers, JIT off (it adds tens of ms to
plans like these), no durability during the benchmark (flattering the peer's load time)."""

LIST_FACETS = ("issues", "therapy_types", "age_groups", "populations", "languages", "insurance")
SCALAR_FACETS = ("gender", "profession")
FLAGS = {
    "sliding_scale": "sliding_scale",
    "telehealth": "telehealth",
    "in_person": "in_person",
    "accepting_new_clients": "accepting",
}
PAGE = 10
SUGGEST_SIZE = 8
CITY_RADIUS_M = 10 * KM_PER_MILE * 1000
MAX_CITY_RADIUS_M = 100 * KM_PER_MILE * 1000
HIT_BODY_CHARS = 300


# ---------------------------------------------------------------------------- the cluster


def pg_bindir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` are: on PATH, or Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    for d in reversed(dirs):
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
            return Path(d)
    return None


def _has_earthdistance(bindir: Path) -> bool:
    share = subprocess.run(
        [str(bindir / "pg_config"), "--sharedir"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return bool(share) and (Path(share) / "extension" / "earthdistance.control").exists()


def available() -> str | None:
    """None when a peer can run here, else why not (for a skip message)."""
    import importlib.util

    if importlib.util.find_spec("psycopg") is None:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    bindir = pg_bindir()
    if bindir is None:
        return "PostgreSQL is not installed (apt-get install postgresql postgresql-contrib)"
    if (bindir / "pg_config").exists() and not _has_earthdistance(bindir):
        return "the earthdistance extension is missing (apt-get install postgresql-contrib)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
    return None


class PgCluster:
    """A temporary PostgreSQL cluster on a Unix socket; ``stop()`` removes it."""

    def __init__(self, root: Path | None = None) -> None:
        bindir = pg_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL is not installed")
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="bench-pg-", dir=root))
        self.data = self.dir / "data"
        self.socket = self.dir
        self.port = 5432
        self.user: str | None = None
        if os.geteuid() == 0:
            self.user = "postgres"
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.dir.chmod(0o755)
        self.started = False

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(
            cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.dir
        )

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "--auth=trust",
            "-U",
            "postgres",
            "--encoding=UTF8",
            "--locale=C",
        )
        opts = " ".join(f"-c {k}={v}" for k, v in SETTINGS.items())
        opts += f" -c unix_socket_directories={self.socket} -p {self.port}"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "server.log"),
            "-o",
            opts,
            "-w",
            "-t",
            "60",
            "start",
        )
        self.started = True

    @property
    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def connect(self, autocommit: bool = True) -> psycopg.Connection[Any]:
        import psycopg

        return psycopg.connect(
            host=str(self.socket),
            port=self.port,
            user="postgres",
            dbname="postgres",
            autocommit=autocommit,
        )

    @property
    def conninfo(self) -> str:
        return f"host={self.socket} port={self.port} user=postgres dbname=postgres"

    def stop(self) -> None:
        if self.started:
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
            finally:
                self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------- loading

SCHEMA = """
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;
CREATE TABLE therapists (
  id text PRIMARY KEY,
  name text NOT NULL,
  name_rest text NOT NULL,
  credential text,
  doc jsonb NOT NULL,
  bio text NOT NULL,
  issues text[] NOT NULL, therapy_types text[] NOT NULL, age_groups text[] NOT NULL,
  populations text[] NOT NULL, languages text[] NOT NULL, insurance text[] NOT NULL,
  gender text, profession text NOT NULL, fee_min int, sliding_scale bool NOT NULL,
  telehealth bool NOT NULL, in_person bool NOT NULL, licensed_states text[] NOT NULL,
  accepting bool NOT NULL, last_confirmed date NOT NULL,
  issue_text text NOT NULL, type_text text NOT NULL, other_text text NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', issue_text), 'A') ||
    setweight(to_tsvector('english', name || ' ' || type_text), 'B') ||
    setweight(to_tsvector('english', other_text), 'C') ||
    setweight(to_tsvector('english', bio), 'D')) STORED
);
CREATE TABLE offices (
  therapist_id text NOT NULL, city_slug text NOT NULL, state text NOT NULL,
  lat float8 NOT NULL, lon float8 NOT NULL,
  e earth GENERATED ALWAYS AS (ll_to_earth(lat, lon)) STORED
);
CREATE TABLE locations (
  slug text PRIMARY KEY, kind text NOT NULL, name text NOT NULL, name_key text NOT NULL,
  state text NOT NULL, population int, lat float8 NOT NULL, lon float8 NOT NULL, doc jsonb NOT NULL
);
CREATE TABLE articles (
  slug text PRIMARY KEY, title text NOT NULL, summary text NOT NULL, body text NOT NULL,
  author text NOT NULL, topic_text text NOT NULL, published date NOT NULL,
  comment_count int NOT NULL, preview jsonb NOT NULL,
  tsv_title tsvector GENERATED ALWAYS AS (to_tsvector('english', title)) STORED,
  tsv_content tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', summary), 'B') ||
    setweight(to_tsvector('english', body), 'D')) STORED,
  tsv_author tsvector GENERATED ALWAYS AS (to_tsvector('simple', author)) STORED,
  tsv_all tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', summary || ' ' || topic_text), 'B') ||
    setweight(to_tsvector('simple', author), 'B') ||
    setweight(to_tsvector('english', body), 'D')) STORED,
  tsv_title_simple tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED
);
CREATE TABLE vocab (key text NOT NULL, kind text NOT NULL, slug text NOT NULL,
  label text NOT NULL, rank int NOT NULL);
"""

INDEXES = """
CREATE INDEX therapists_tsv ON therapists USING gin (tsv);
CREATE INDEX therapists_name ON therapists (lower(name));
CREATE INDEX therapists_name_rest ON therapists (name_rest);
CREATE INDEX offices_earth ON offices USING gist (e);
CREATE INDEX offices_therapist ON offices (therapist_id);
CREATE INDEX offices_city ON offices (city_slug);
CREATE INDEX locations_name ON locations (name_key);
CREATE INDEX locations_kind_state ON locations (kind, state);
CREATE INDEX articles_tsv_title ON articles USING gin (tsv_title);
CREATE INDEX articles_tsv_content ON articles USING gin (tsv_content);
CREATE INDEX articles_tsv_author ON articles USING gin (tsv_author);
CREATE INDEX articles_tsv_all ON articles USING gin (tsv_all);
CREATE INDEX articles_tsv_title_simple ON articles USING gin (tsv_title_simple);
CREATE INDEX vocab_key ON vocab (key);
CREATE MATERIALIZED VIEW state_counts AS
  SELECT state, count(DISTINCT therapist_id)::int AS n FROM offices GROUP BY state;
CREATE MATERIALIZED VIEW city_counts AS
  SELECT o.city_slug, min(o.state) AS state, count(DISTINCT o.therapist_id)::int AS n,
         max(o.d) AS reach_m
  FROM (SELECT o.therapist_id, o.city_slug, o.state,
               min(earth_distance(o.e, ll_to_earth(l.lat, l.lon))) AS d
        FROM offices o JOIN locations l ON l.slug = o.city_slug
        GROUP BY o.therapist_id, o.city_slug, o.state) o
  GROUP BY o.city_slug;
CREATE UNIQUE INDEX city_counts_slug ON city_counts (city_slug);
CREATE INDEX city_counts_state ON city_counts (state);
ANALYZE;
"""


def _open(path: Path) -> Iterator[bytes]:
    import gzip

    gz = path.with_name(path.name + ".gz")
    if path.exists():
        with path.open("rb") as f:
            yield from f
    elif gz.exists():
        with gzip.open(gz, "rb") as g:
            yield from g
    else:
        raise FileNotFoundError(path)


def _name_key(name: str) -> str:
    return fold(name)


def _therapist_rows(
    source: Path,
) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    for line in _open(source / "therapists.jsonl"):
        t = orjson.loads(line)
        offices = t.get("offices") or []
        for o in offices:
            o["city_slug"] = city_slug(o["city"], o["state"])
        name = t["name"]
        rest = name.split(None, 1)[1].lower() if " " in name else ""
        row = (
            t["id"],
            name,
            rest,
            (t.get("credentials") or [None])[0],
            orjson.dumps(t).decode(),
            t["bio"],
            t["issues"],
            t["therapy_types"],
            t["age_groups"],
            t["populations"],
            t["languages"],
            t["insurance"],
            t.get("gender"),
            t["profession"],
            t.get("fee_min"),
            bool(t.get("sliding_scale")),
            bool(t.get("telehealth")),
            bool(offices),
            t["licensed_states"],
            bool(t.get("accepting_new_clients")),
            t["last_confirmed"],
            " ".join(ISSUES.labels(t["issues"])),
            " ".join(THERAPY_TYPES.labels(t["therapy_types"])),
            " ".join(
                [
                    PROFESSIONS.label(t["profession"]),
                    *POPULATIONS.labels(t["populations"]),
                    *AGE_GROUPS.labels(t["age_groups"]),
                    *LANGUAGES.labels(t["languages"]),
                    *INSURANCE.labels(t["insurance"]),
                ]
            ),
        )
        office_rows = [
            (t["id"], o["city_slug"], o["state"], o["location"]["lat"], o["location"]["lon"])
            for o in offices
        ]
        yield row, office_rows


THERAPIST_COLUMNS = (
    "id, name, name_rest, credential, doc, bio, issues, therapy_types, age_groups, populations, "
    "languages, insurance, gender, profession, fee_min, sliding_scale, telehealth, in_person, "
    "licensed_states, accepting, last_confirmed, issue_text, type_text, other_text"
)


@dataclass
class LoadResult:
    therapists: int
    seconds: float


def load(conninfo: str, source: Path) -> LoadResult:
    """JSONL → tables (COPY) → indexes, browse views, statistics. Returns the wall time."""
    import psycopg

    started = time.perf_counter()
    n = 0
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(SCHEMA)
        with conn.transaction(), conn.cursor() as cur:
            offices: list[tuple[Any, ...]] = []
            with cur.copy(f"COPY therapists ({THERAPIST_COLUMNS}) FROM STDIN") as copy:
                for row, office_rows in _therapist_rows(source):
                    copy.write_row(row)
                    offices.extend(office_rows)
                    n += 1
            with cur.copy(
                "COPY offices (therapist_id, city_slug, state, lat, lon) FROM STDIN"
            ) as copy:
                for o in offices:
                    copy.write_row(o)
            del offices
            with cur.copy("COPY locations FROM STDIN") as copy:
                for line in _open(source / "locations.jsonl"):
                    loc = orjson.loads(line)
                    copy.write_row(
                        (
                            loc["slug"],
                            loc["kind"],
                            loc["name"],
                            _name_key(loc["name"]),
                            loc["state"],
                            loc.get("population"),
                            loc["location"]["lat"],
                            loc["location"]["lon"],
                            line.decode().strip(),
                        )
                    )
            with cur.copy("COPY articles FROM STDIN") as copy:
                for line in _open(source / "articles.jsonl"):
                    a = orjson.loads(line)
                    body = a["body"]
                    short = (
                        body
                        if len(body) <= HIT_BODY_CHARS
                        else (body[:HIT_BODY_CHARS].rstrip() + "…")
                    )
                    preview = {**a, "body": short, "comments": []}
                    copy.write_row(
                        (
                            a["slug"],
                            a["title"],
                            a["summary"],
                            body,
                            a["author"]["name"],
                            " ".join(ARTICLE_TOPICS.labels(a["topics"])),
                            a["published"],
                            len(a.get("comments") or []),
                            orjson.dumps(preview).decode(),
                        )
                    )
            with cur.copy("COPY vocab FROM STDIN") as copy:
                for e in VOCABULARY_TABLE:
                    s = e.suggestion
                    copy.write_row(
                        (e.key, s.type, s.value, s.label, e.tier * 4 + int(e.synonym) * 2)
                    )
        conn.execute(INDEXES)
    return LoadResult(n, time.perf_counter() - started)


def settle(conninfo: str) -> None:
    """After a load, untimed: vacuum (the visibility map lets PostgreSQL answer from its
    indexes alone) and write the dirty buffers out now, so that neither autovacuum nor the
    checkpointer runs on the two cores while either system's latency is measured."""
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        conn.execute("CHECKPOINT")


# ---------------------------------------------------------------------------- queries


def _tsquery(units: list[QueryUnit], config: str, params: dict[str, Any]) -> str | None:
    """Required units AND-ed, each an OR of its synonym alternatives (a phrase → ``<->``)."""
    parts = []
    for i, unit in enumerate(u for u in units if u.required):
        alts = []
        for j, alt in enumerate(unit.alternatives):
            key = f"w{i}_{j}"
            params[key] = " ".join(alt)
            alts.append(f"phraseto_tsquery('{config}', %({key})s)")
        parts.append("(" + " || ".join(alts) + ")")
    return " && ".join(parts) if parts else None


def _gauss_sql(x: str, offset: float, scale: float, decay: float) -> str:
    sigma2 = -(scale**2) / (2.0 * math.log(decay))
    return f"exp(-(greatest(0, {x} - {offset!r}) ^ 2) / {2 * sigma2!r})"


class PgPeer:
    """One SQL statement per request; ``call`` returns what an API would send back."""

    name = "PostgreSQL FTS + earthdistance"

    def __init__(self, conninfo: str, tuning: Tuning | None = None) -> None:
        self.conninfo = conninfo
        self.tuning = tuning or Tuning.load(
            Path(__file__).resolve().parents[1] / "tunings" / "default.json"
        )
        self._conn: psycopg.Connection[Any] | None = None

    @property
    def conn(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            import psycopg
            from psycopg.rows import tuple_row

            self._conn = psycopg.connect(
                self.conninfo, autocommit=True, row_factory=tuple_row, prepare_threshold=None
            )
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def _one(self, sql: str, params: dict[str, Any]) -> Any:
        row = self.conn.execute(sql.encode(), params).fetchone()  # type: ignore[call-overload]
        return row[0] if row else None

    def call(self, req: Request) -> Any:
        c = req.category
        if c in ("full_search", "near_me"):
            return self.search(req, by_distance=c == "near_me")
        if c == "browse_states":
            return self.browse_states()
        if c == "browse_cities":
            return self.browse_cities(req.path.split("/")[3])
        if c == "browse_city":
            return self.browse_city(req.path.rsplit("/", 1)[1])
        if c == "articles":
            return self.articles(req.get("q") or "", req.get("field") or "all")
        if c == "typeahead":
            return self.suggest(req.get("q") or "")
        raise ValueError(f"unknown category {c}")

    # ------------------------------------------------------------------ therapists

    def _center(self, req: Request, p: dict[str, Any]) -> str:
        if req.get("lat") is not None:
            p["lat"], p["lon"] = float(req.get("lat") or 0), float(req.get("lon") or 0)
            return "SELECT ll_to_earth(%(lat)s, %(lon)s) AS e"
        if (z := req.get("zip")) is not None:
            p["place"] = z
        else:
            name, _, state = (req.get("city") or "").rpartition(",")
            p["place"] = city_slug(name.strip(), state.strip())
        return "SELECT ll_to_earth(lat, lon) AS e FROM locations WHERE slug = %(place)s"

    def _filters(self, req: Request, p: dict[str, Any]) -> dict[str, str]:
        """Facet (or filter name) → SQL predicate over ``base``."""
        out: dict[str, str] = {}
        for f in LIST_FACETS:
            if values := req.all(f):
                p[f] = values
                out[f] = f"{f} && %({f})s::text[]"
        for f in SCALAR_FACETS:
            if values := req.all(f):
                p[f] = values
                out[f] = f"{f} = ANY(%({f})s::text[])"
        for name, col in FLAGS.items():
            if (v := req.get(name)) is not None:
                p[name] = v == "true"
                out[name] = f"{col} = %({name})s"
        if (fee := req.get("max_fee")) is not None:
            p["max_fee"] = int(fee)
            out["max_fee"] = "fee_min <= %(max_fee)s"
        if (st := req.get("licensed_in")) is not None:
            p["licensed_in"] = st
            out["licensed_in"] = "%(licensed_in)s = ANY(licensed_states)"
        return out

    def search(self, req: Request, by_distance: bool) -> Any:
        t = self.tuning
        p: dict[str, Any] = {
            "r": float(req.get("radius") or DEFAULT_RADIUS_MI) * KM_PER_MILE * 1000
        }
        center = self._center(req, p)
        tsq = _tsquery(parse(req.get("q"), t.synonyms), "english", p)
        filters = self._filters(req, p)

        def where(skip: str | None = None) -> str:
            preds = [s for f, s in filters.items() if f != skip]
            return " AND ".join(preds) if preds else "true"

        rank = "ts_rank(t.tsv, q.q)" if tsq else "1.0::float4"
        text_join = ", q" if tsq else ""
        text_pred = "AND t.tsv @@ q.q" if tsq else ""
        d, f = t.distance, t.freshness
        age = "(current_date - last_confirmed)"
        blend = (
            f"rank * ({1 - d.weight!r} + {d.weight!r} * "
            f"{_gauss_sql('m / 1000.0', d.offset_km, d.scale_km, d.decay)})"
            f" * ({1 - f.weight!r} + {f.weight!r} * "
            f"{_gauss_sql(age, f.offset_days, f.scale_days, f.decay)})"
            f" * CASE WHEN accepting THEN {t.accepting_new_clients_boost!r} ELSE 1 END"
        )
        order = "m, id" if by_distance else "score DESC, id"
        agg = "SELECT coalesce(json_object_agg(v, n), '{}')"
        facets = ", ".join(
            [
                f"'{fc}', ({agg} FROM (SELECT unnest({fc}) v, count(*) n FROM base"
                f" WHERE {where(fc)} GROUP BY 1) x)"
                for fc in LIST_FACETS
            ]
            + [
                f"'{fc}', ({agg} FROM (SELECT {fc} v, count(*) n FROM base"
                f" WHERE {where(fc)} AND {fc} IS NOT NULL GROUP BY 1) x)"
                for fc in SCALAR_FACETS
            ]
        )
        highlight = (
            "ts_headline('english', t.bio, q.q, 'MaxFragments=1, MaxWords=35, MinWords=15')"
            if tsq and not by_distance
            else "NULL"
        )
        sql = f"""
WITH c AS ({center}),
{"q AS (SELECT " + tsq + " AS q)," if tsq else ""}
area AS (
  SELECT id, min(d) AS m FROM (
    SELECT o.therapist_id AS id, earth_distance(o.e, c.e) AS d FROM offices o, c
    WHERE earth_box(c.e, %(r)s) @> o.e) x
  WHERE d <= %(r)s GROUP BY id),
base AS MATERIALIZED (
  SELECT t.id, t.issues, t.therapy_types, t.age_groups, t.populations, t.languages,
         t.insurance, t.gender, t.profession, t.fee_min, t.sliding_scale, t.telehealth,
         t.in_person, t.licensed_states, t.accepting, t.last_confirmed, a.m, {rank} AS rank
  FROM area a JOIN therapists t ON t.id = a.id{text_join}
  WHERE true {text_pred}),
matched AS (SELECT * FROM base WHERE {where()}),
page AS (
  SELECT id, m, score, row_number() OVER () AS pos FROM (
    SELECT id, m, {blend} AS score FROM matched ORDER BY {order} LIMIT {PAGE}) s)
SELECT json_build_object(
  'total', (SELECT count(*) FROM matched),
  'items', (SELECT coalesce(json_agg(json_build_object(
               'therapist', t.doc, 'score', p.score, 'distance_km', p.m / 1000.0,
               'highlight', {highlight}) ORDER BY p.pos), '[]')
            FROM page p JOIN therapists t ON t.id = p.id{text_join}),
  'facets', json_build_object({facets}))
"""
        return self._one(sql, p)

    # ------------------------------------------------------------------ browse

    def browse_states(self) -> Any:
        return self._one(
            """SELECT json_agg(json_build_object('slug', l.slug, 'name', l.name,
                 'state', s.state, 'therapists', s.n, 'lat', l.lat, 'lon', l.lon)
                 ORDER BY l.name)
               FROM state_counts s JOIN locations l ON l.kind = 'state' AND l.state = s.state""",
            {},
        )

    def browse_cities(self, state: str) -> Any:
        return self._one(
            """SELECT json_agg(json_build_object('slug', l.slug, 'name', l.name,
                 'state', c.state, 'therapists', c.n, 'lat', l.lat, 'lon', l.lon)
                 ORDER BY c.n DESC, l.name, l.slug)
               FROM city_counts c JOIN locations l ON l.slug = c.city_slug
               WHERE c.state = %(s)s""",
            {"s": state.upper()},
        )

    def browse_city(self, slug: str) -> Any:
        sql = f"""
WITH city AS (
  SELECT l.doc, ll_to_earth(l.lat, l.lon) AS e,
         least(greatest({CITY_RADIUS_M!r}, coalesce(cc.reach_m, 0) + 0.001),
               {MAX_CITY_RADIUS_M!r}) AS r
  FROM locations l LEFT JOIN city_counts cc ON cc.city_slug = l.slug
  WHERE l.slug = %(slug)s AND l.kind = 'city'),
area AS (
  SELECT id, min(d) AS m FROM (
    SELECT o.therapist_id AS id, earth_distance(o.e, city.e) AS d, city.r FROM offices o, city
    WHERE earth_box(city.e, city.r) @> o.e) x
  WHERE d <= r GROUP BY id),
page AS (SELECT id, m FROM area ORDER BY m, id LIMIT {PAGE})
SELECT json_build_object(
  'city', (SELECT doc FROM city),
  'total', (SELECT count(*) FROM area),
  'items', (SELECT coalesce(json_agg(json_build_object('therapist', t.doc,
              'distance_km', p.m / 1000.0) ORDER BY p.m, p.id), '[]')
            FROM page p JOIN therapists t ON t.id = p.id))
"""
        return self._one(sql, {"slug": slug})

    # ------------------------------------------------------------------ articles

    def articles(self, text: str, field: str) -> Any:
        p: dict[str, Any] = {}
        config = "simple" if field == "author" else "english"
        tsq = _tsquery(parse(text, self.tuning.synonyms and field != "author"), config, p)
        if tsq is None:  # no searchable words: every article, newest first (as ours)
            return self._one(
                f"""SELECT json_build_object('total', (SELECT count(*) FROM articles),
                      'items', (SELECT coalesce(json_agg(json_build_object(
                          'article', preview, 'comment_count', comment_count)), '[]')
                        FROM (SELECT preview, comment_count FROM articles
                              ORDER BY published DESC, slug LIMIT {PAGE}) a))""",
                {},
            )
        col = {
            "all": "tsv_all",
            "title": "tsv_title",
            "content": "tsv_content",
            "author": "tsv_author",
        }[field]
        sql = f"""
WITH q AS (SELECT {tsq} AS q),
matched AS (SELECT a.slug, ts_rank(a.{col}, q.q) AS rank FROM articles a, q
            WHERE a.{col} @@ q.q),
page AS (SELECT slug, rank FROM matched ORDER BY rank DESC, slug LIMIT {PAGE})
SELECT json_build_object(
  'total', (SELECT count(*) FROM matched),
  'items', (SELECT coalesce(json_agg(json_build_object(
      'article', a.preview, 'comment_count', a.comment_count, 'score', p.rank,
      'highlights', json_build_object(
         'title', ts_headline('english', a.title, q.q, 'HighlightAll=true'),
         'summary', ts_headline('english', a.summary, q.q, 'MaxFragments=1'),
         'body', ts_headline('english', a.body, q.q, 'MaxFragments=1, MaxWords=35')))
      ORDER BY p.rank DESC, p.slug), '[]')
    FROM page p JOIN articles a ON a.slug = p.slug, q))
"""
        return self._one(sql, p)

    # ------------------------------------------------------------------ typeahead

    def suggest(self, prefix: str) -> Any:
        key = fold(prefix)
        if not key:
            return {"prefix": prefix, "suggestions": []}
        like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        words = key.split()
        tsq = " & ".join(f"{w}:*" for w in words) if all(w.isalnum() for w in words) else None
        n = SUGGEST_SIZE * 3
        sql = f"""
SELECT json_build_object(
 'vocab', (SELECT json_agg(x) FROM (
    SELECT DISTINCT ON (kind, slug) kind, slug, label, rank FROM vocab
    WHERE key LIKE %(like)s ORDER BY kind, slug, rank) x),
 'places', (SELECT json_agg(x) FROM (
    SELECT l.kind, l.slug, l.name, l.state FROM locations l
    LEFT JOIN city_counts cc ON cc.city_slug = l.slug
    WHERE l.name_key LIKE %(like)s AND (l.kind = 'zip' OR (l.kind = 'city' AND cc.n > 0))
    ORDER BY l.population DESC NULLS LAST, l.name LIMIT {n}) x),
 'names', (SELECT json_agg(x) FROM (
    (SELECT id, name, credential AS cred FROM therapists
     WHERE lower(name) LIKE %(like)s ORDER BY lower(name) LIMIT {n})
    UNION ALL
    (SELECT id, name, credential AS cred FROM therapists
     WHERE name_rest LIKE %(like)s ORDER BY name_rest LIMIT {n})) x),
 'articles', {
            "(SELECT json_agg(x) FROM (SELECT slug, title FROM articles "
            "WHERE tsv_title_simple @@ to_tsquery('simple', %(tsq)s) "
            f"LIMIT {SUGGEST_SIZE}) x)"
            if tsq
            else "NULL"
        })
"""
        got = self._one(sql, {"like": like, "tsq": tsq})
        vocab = sorted(got["vocab"] or [], key=lambda v: v["rank"])
        target = {kind: param for _, kind, param in VOCABULARY_SOURCES}

        def voc(v: dict[str, Any]) -> Suggestion:
            return Suggestion(
                type=v["kind"],
                label=v["label"],
                value=v["slug"],
                target=f"/therapists/search?{target[v['kind']]}={v['slug']}",
            )

        places = [
            Suggestion(
                type="city",
                label=f"{x['name']}, {x['state']}",
                value=x["slug"],
                target=f"/browse/cities/{x['slug']}",
            )
            if x["kind"] == "city"
            else Suggestion(
                type="zip",
                label=x["name"],
                value=x["name"],
                target=f"/therapists/near?zip={x['name']}",
            )
            for x in got["places"] or []
        ]
        seen: set[str] = set()
        names = []
        for x in got["names"] or []:
            if x["id"] not in seen:
                seen.add(x["id"])
                label = f"{x['name']}, {x['cred']}" if x["cred"] else x["name"]
                names.append(
                    Suggestion(
                        type="therapist",
                        label=label,
                        value=x["id"],
                        target=f"/therapists/{x['id']}",
                    )
                )
        arts = [
            Suggestion(
                type="article", label=x["title"], value=x["slug"], target=f"/articles/{x['slug']}"
            )
            for x in got["articles"] or []
        ]
        sources = Sources(
            vocabulary=[voc(v) for v in vocab if v["rank"] < 4],
            places=places,
            names=names,
            articles=arts,
            vocabulary_words=[voc(v) for v in vocab if v["rank"] >= 4],
        )
        items = interleave(prefix, sources, SUGGEST_SIZE)
        return {"prefix": prefix, "suggestions": [s.model_dump() for s in items]}


@contextmanager
def running_cluster(root: Path | None = None) -> Iterator[PgCluster]:
    cluster = PgCluster(root)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def explain(cluster: PgCluster, peer: PgPeer, req: Request) -> str:
    """EXPLAIN ANALYZE of the statement a request runs (for the profile notes)."""
    import io
    import unittest.mock

    captured: dict[str, Any] = {}

    def grab(sql: str, params: dict[str, Any]) -> Any:
        captured["sql"], captured["params"] = sql, params
        return {"vocab": [], "places": [], "names": [], "articles": []}

    with unittest.mock.patch.object(peer, "_one", grab):
        peer.call(req)
    out = io.StringIO()
    with cluster.connect() as conn:
        rows = conn.execute(
            ("EXPLAIN (ANALYZE, BUFFERS) " + captured["sql"]).encode(), captured["params"]
        ).fetchall()  # type: ignore[call-overload]
        for (line,) in rows:
            out.write(str(line) + "\n")
    return out.getvalue()


def main(argv: list[str]) -> None:
    """``load SOURCE CONNINFO``: load a set (the harness runs this in its own, measured,
    process); ``explain SOURCE``: load a set into a new cluster and EXPLAIN one request of each
    category."""
    from benchmarks.workload import load as load_workload

    if argv[0] == "load":
        res = load(argv[2], Path(argv[1]))
        print(json.dumps({"therapists": res.therapists, "seconds": res.seconds}))
        return
    with running_cluster() as cl:
        res = load(cl.conninfo, Path(argv[1]))
        print(json.dumps({"therapists": res.therapists, "seconds": round(res.seconds, 1)}))
        peer = PgPeer(cl.conninfo)
        wl = load_workload()
        for cat in ("full_search", "near_me", "browse_city", "articles", "typeahead"):
            print(cat)
            print(explain(cl, peer, wl.of(cat)[0]))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
