"""The dashboard's pages, in navigation order (one thin script per page under pages/)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent / "pages"


@dataclass(frozen=True)
class Route:
    name: str  # file stem and URL path
    title: str
    icon: str

    @property
    def path(self) -> Path:
        return PAGES_DIR / f"{self.name}.py"


ROUTES = (
    Route("overview", "Overview", ":material/dashboard:"),
    Route("trends", "Trends", ":material/show_chart:"),
    Route("cooccurrence", "Co-occurrence", ":material/hub:"),
    Route("pair", "Pair explorer", ":material/compare_arrows:"),
    Route("topics", "Topics", ":material/category:"),
    Route("alerts", "Alerts", ":material/notifications:"),
    Route("articles", "Articles", ":material/article:"),
    Route("feeds", "Feeds", ":material/rss_feed:"),
    Route("sql", "SQL", ":material/terminal:"),
)
PAIR = next(route for route in ROUTES if route.name == "pair")
ARTICLES = next(route for route in ROUTES if route.name == "articles")
ALERTS = next(route for route in ROUTES if route.name == "alerts")
ARTICLE = "article"  # the Articles page's URL parameter for the article its "why" panel opens
SEARCH = "q"  # ... and for its search words
ALERT = "alert"  # the Alerts page's URL parameter for the alert whose evidence it shows
