"""Later versions of a stored article: which of them a run records (article_revisions, migration 0057). The article
keeps its first capture, which is what is tagged: a cited article's counts and evidence must not move when its feed
edits the entry."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping

if TYPE_CHECKING:
    from .store.warehouse import KnownVersions

# Versions kept per article (the first ones met, each different): a correction or two is the norm, and a feed that
# rewrites an entry at every poll must not grow the table without bound. The table's comment says the number too.
REVISIONS_KEPT = 10


def new_revisions(served: Iterable[dict], known: Mapping[str, KnownVersions]) -> list[dict]:
    """Of `served`, article_revisions rows of stored articles whose feeds served a title or text other than the first
    capture's, those to record: from a feed that carried the article before (another feed's own title for a page it
    links to is no correction), unlike every version recorded before or met earlier in `served` (two keys of one run
    may lead to one article), while the article has fewer than REVISIONS_KEPT."""
    recorded = {article_id: list(versions.hashes) for article_id, versions in known.items()}
    kept = []
    for row in served:
        hashes = recorded[row["article_id"]]
        if (row["feed_id"] in known[row["article_id"]].feeds and row["content_hash"] not in hashes
                and len(hashes) < REVISIONS_KEPT):
            hashes.append(row["content_hash"])
            kept.append(row)
    return kept
