"""Generated avatars: a therapist's initials on a colour drawn from their id, as SVG.

Nothing from the record reaches the SVG but two capital letters A to Z (accents folded, anything
else dropped) and a colour from a fixed palette, so no name can inject markup; the SVG holds no
script, style, link or external reference, so it also works under the pages' Content Security
Policy and as a document of its own (served with ``default-src 'none'``).
"""

from __future__ import annotations

import hashlib
import unicodedata

SIZE = 128
PALETTE = (
    "#1f5f7a",  # the site's brand blue
    "#7a3b1f",
    "#2d6a3e",
    "#5b3a87",
    "#8a2d4f",
    "#3f5666",
    "#6b4e16",
    "#1d5e5b",
    "#4a4a8c",
    "#8c3a2b",
)
"""Dark enough for white letters (contrast at least 4.5:1, checked by a test)."""
TEXT = "#ffffff"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"


def initials(name: str) -> str:
    """``"Ana López-García"`` → ``"AL"``; ``"Gary M. Carter"`` → ``"GC"``; only A to Z."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    firsts = [next((c for c in w if c.isalpha()), "") for w in folded.split()]
    letters = [c.upper() for c in firsts if c]
    picked = letters[:1] + letters[-1:] if len(letters) > 1 else letters
    return "".join(c for c in picked if "A" <= c <= "Z")


def colour(therapist_id: str) -> str:
    """The palette colour of an id (the same in every process: a hash, not ``hash()``)."""
    digest = hashlib.sha256(therapist_id.encode("utf-8")).digest()
    return PALETTE[int.from_bytes(digest[:4], "big") % len(PALETTE)]


def avatar_svg(therapist_id: str, name: str) -> bytes:
    """The avatar of a therapist as an SVG document."""
    letters = initials(name)
    text = (
        f'<text x="50%" y="50%" dy=".35em" text-anchor="middle" font-family="{FONT}" '
        f'font-size="52" font-weight="600" fill="{TEXT}">{letters}</text>'
        if letters
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}"><rect width="{SIZE}" height="{SIZE}" '
        f'fill="{colour(therapist_id)}"/>{text}</svg>'
    ).encode("ascii")
