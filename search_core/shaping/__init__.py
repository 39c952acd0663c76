"""How hits are shaped, once for both engines. An engine finds documents and counts; what a
user sees of them is decided here, so both engines answer alike (the parity between them is
this package, not a test that compares two copies):

- :mod:`.therapists`: the nearest office and its distance, the therapist fields highlighted;
- :mod:`.articles`: the fields an article search runs on, the fields highlighted, the preview
  a hit shows, the recent-comments limit;
- :mod:`.facets`: facet buckets from an engine's counts;
- :mod:`.text`: the warning for a search text with no searchable words.
"""
