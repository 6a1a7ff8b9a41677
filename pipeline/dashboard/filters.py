"""Widgets whose values live in the URL query string, so any view can be shared as a link.

A widget is seeded from the URL the first time a session renders it; afterwards its value is written
back to the URL on every run (defaults are left out to keep links short). The URL is the view when the browser's
Back or Forward restored an earlier link, or a page switch brought its own: a control whose URL parameter then holds
another value than the one it last wrote takes it from the URL again. Streamlit pushes a history entry for every change
of the query string, and on Back reruns the page with that entry's; a value kept in the session and written back
instead would undo the Back. Any other run keeps the controls' values: a run a click starts carries the URL the
browser had then, which need not yet hold what the run before wrote (a click on a chart a moment after another), and
taking that URL as the view undid the first click while the browser went on showing its URL.

A run writes the URL once, at its end (`write_url`): the controls write theirs into the URL the run is building, and read
it back from there. Each change sent is an entry of the browser's history: the sidebar's dates and then a page's own
controls (Trends' series), or a clicked cell's topic and then its country, sent one after the other, left Back a stop on
a view that never was. A run a menu link started is the exception (`mirror`).
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator, NoReturn

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ..store.queries import LISTED_PAIRS, Scope
from ..tagging.text import primary_subtag
from . import transforms

DEFAULT_DAYS = 90
DATES = "dates"
DATE_PARAMS = ("from", "to")  # the URL parameters of the date range
ALL_COLUMNS = "all_columns"  # a table's "Show all columns" switch: how the table looks, not which rows it holds
_RUN = "url.run"  # session key: what this run's URL is worth (note_run)
_BUILT = "url.built"  # session key: the URL parameters as this run has written them so far (read_url, write_url)
_SWITCHED = "url.switched"  # session key: the switch_page of the run before: the page, the URL it opened, the URL left
_LEFT = "url.left"  # session key: the URL each switch to another page left its page on, by that page and URL opened
# Back restores the page left by one of the last this many click-throughs (`_restore_left_view`): the session keeps
# no more, and Back past them lands on the entry Streamlit wrote, as it does without the restore.
LEFT_VIEWS_KEPT = 50
# The page whose controls are being drawn ("" while the shared sidebar is): each script run has its own
# thread, so one session's page never leaks into another's.
_PAGE: ContextVar[str] = ContextVar("page", default="")


@contextmanager
def page_controls(page: str) -> Iterator[None]:
    """Controls drawn inside belong to `page`: two pages' controls of one name ("top", "grain") keep apart."""
    token = _PAGE.set(page)
    try:
        yield
    finally:
        _PAGE.reset(token)


def state_key(name: str) -> str:
    page = _PAGE.get()
    return f"url.{page}.{name}" if page else f"url.{name}"


def read_url() -> None:
    """Called first in every run: the URL the run starts building from, the browser's."""
    st.session_state[_BUILT] = _browser_url()


def write_url() -> None:
    """Send the URL this run built to the browser, in one change (none when it is the browser's): called last in a run,
    and before a page stops it (`stop`). Streamlit's frontend pushes a history entry for every change of the query string
    it is sent (1.67: `App.handlePageInfoChanged` calls `history.pushState`, but in a run Back or Forward started)."""
    built = url_params()
    if built != _browser_url():
        st.query_params.from_dict(built)


def _browser_url() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in st.query_params}


def stop() -> NoReturn:
    """st.stop for a page with nothing more to show: the URL its controls wrote is sent first (a stopped run sends no
    more messages)."""
    write_url()
    st.stop()


def mirror(params: dict[str, str | list[str] | None]) -> None:
    """Write URL parameters (None or [] removes one) into the URL this run builds (`write_url` sends it).

    A run a link of the navigation menu started sends each write at once instead. Streamlit pushes the new page's path
    in a history entry of its own once the browser has drawn the new menu, a moment after the run starts: a URL sent
    before that goes in an entry under the page left, which the first Back shows. Sent at the run's end, it came after,
    and the first Back showed the new page again, on the bare URL of the menu link (Overview to another page and Back:
    back in one press 1 time in 24, against 9 in 12 sent at once). The race is Streamlit's (1.67: the frontend's
    `AppNavigation.handleNavigation` pushes the path in a React state callback, `App.handlePageInfoChanged` the query
    at once); the sidebar's dates, written first, mostly win it."""
    built = st.session_state[_BUILT]
    for name, value in params.items():
        values = [] if value is None else ([value] if isinstance(value, str) else list(value))
        if values:
            built[name] = values
        else:
            built.pop(name, None)
    if _run().menu_link:
        write_url()


def synced(widget: Callable, label: str, name: str, default: Any, *, parse: Callable[[list[str]], Any],
           dump: Callable[[Any], str | list[str]], valid: Callable[[Any], bool] = lambda _: True,
           keep_default: bool = False, under: Any = None, fits: Callable[[Any], bool] = lambda _: True,
           instead: str = "showing the default", **kwargs) -> Any:
    """Render `widget` bound to URL parameter `name`; returns its value.

    `keep_default` writes the value even when it is the default: needed when the default depends on the
    data (top pair, top series), or a shared link would change meaning after the next ingest.
    Streamlit forgets a widget's state while its page is not shown: without the URL naming a value, the one
    last chosen on that page in this session comes back (a reader returning to Trends finds the series they left),
    unless the default it was chosen against has changed since: the sidebar's new countries are Trends' new
    default series, and must win over the series kept from a visit before.
    `under` is what the value is chosen under (the sidebar's Countries, for the Pair explorer's pair): when the reader
    changes it, a value that does not `fits` it takes the default (_left_behind). A link's or a click's value is shown
    whether it fits or not. A link's value that is not here is named in a toast saying what is shown `instead`.
    """
    key = state_key(name)
    kept = f"kept.{key}"
    if (pointed := _take_pointed(key)) is not None:
        st.session_state[key] = _seeded(label, [pointed], default, default, parse, valid, instead)
    elif drawn_anew(key):
        kept_value, kept_default = st.session_state.get(kept, (default, default))
        unnamed = kept_value if kept_default == default else default
        st.session_state[key] = _seeded(label, url_values(name), default, unnamed, parse, valid, instead)
    elif url_moved(key, (name,)):  # Back or Forward: a value the URL leaves out is the default it was left out for
        st.session_state[key] = _seeded(label, url_values(name), default, default, parse, valid, instead)
    elif not valid(st.session_state[key]) or _left_behind(key, under, fits):  # invalid: an option a snapshot dropped
        st.session_state[key] = default
    value = widget(label, key=key, **kwargs)
    st.session_state[kept] = (value, default)
    st.session_state[f"under.{key}"] = under
    mirror({name: None if value == default and not keep_default else dump(value)})
    remember_url(key, (name,))
    return value


def _left_behind(key: str, under: Any, fits: Callable[[Any], bool]) -> bool:
    """Whether what the control `key`'s value was chosen under changed since its last run to `under`, which the value
    does not `fits`. Not in a run Back or Forward started: its URL is a view as it was, filters and value alike."""
    return (not _run().history and st.session_state.get(f"under.{key}", under) != under
            and not fits(st.session_state[key]))


def not_drawn(label: str, *names: str) -> None:
    """For a control the page does not draw, having nothing to offer it (no alert in the dates, no article listed, no
    way back it can read): its URL parameters `names` leave the URL, where they lingered unread as if they were shown.
    A link's values are named in a toast; the value the control itself wrote before its choices went away (other
    dates, another search) is not."""
    key = state_key(names[0])
    seen = st.session_state.get(f"url_seen.{key}")
    raw = [value for name in names for value in url_values(name)]
    if raw and (seen is None or seen[1] != _url_values(names)):
        _not_available(label, raw, "showing none")
    mirror(dict.fromkeys(names))
    remember_url(key, names)


def forget(page: str, name: str) -> None:
    """Drop the value `page`'s control `name` (`synced`) kept from an earlier visit (the sidebar's: `page` ""): the page
    opens with the URL's value or the default."""
    with page_controls(page):
        key = state_key(name)
    for stored in (key, f"kept.{key}"):
        st.session_state.pop(stored, None)


def _seeded(label: str, raw: list[str], default: Any, unnamed: Any, parse: Callable[[list[str]], Any],
            valid: Callable[[Any], bool], instead: str) -> Any:
    """The value a URL parameter's values `raw` ask for; `unnamed` when they name none, `default` when they name what
    is not here (with a toast saying so)."""
    try:
        seeded = parse(raw) if raw else unnamed
    except ValueError:
        seeded = None
    if raw and (seeded is None or not valid(seeded)):  # a shared link asked for what is not here: say so
        _not_available(label, raw, instead)
    return seeded if seeded is not None and valid(seeded) else default


def _url_values(names: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(url_values(name)) for name in names)


@dataclass(frozen=True)
class _Run:
    page: str
    visit: int  # counts this session's page changes and switches: a page's controls are drawn anew on each visit
    linked_view: bool  # the URL carries the date range, which every view writes: it names a view
    history: bool  # the browser's Back or Forward started the run: the URL is an earlier view
    menu_link: bool = False  # a link of the navigation menu (no date range) opened another page: `mirror`


def note_run(page: str) -> None:
    """Called first in every run, before a control reads or writes the URL: what the run's URL is worth."""
    last = _run()
    switched = st.session_state.pop(_SWITCHED, None)
    if switched and switched[0] != page:
        _keep_left(_link(*switched[:2]), switched[2])
    visit = last.visit + (last.page != page or switched is not None)
    history = _started_by_history()
    if history:
        _restore_left_view(page)
    linked_view = bool(url_values(DATE_PARAMS[0]))
    menu_link = _RUN in st.session_state and last.page != page and not (history or linked_view)
    st.session_state[_RUN] = _Run(page, visit, linked_view, history, menu_link)


def _keep_left(link: tuple, left: dict[str, list[str]]) -> None:
    kept = st.session_state.setdefault(_LEFT, {})
    kept.pop(link, None)  # a link followed again is the newest
    kept[link] = left
    while len(kept) > LEFT_VIEWS_KEPT:
        del kept[next(iter(kept))]


def _restore_left_view(page: str) -> None:
    """Streamlit's switch_page writes the new page's URL onto the page left, an entry of the browser's history, before
    it opens the new page: Back landed there first, on a view that never was (Trends on a clicked point's days and
    series), and needed a second press. That entry is the page as it was left (the rewritten URL replaces it). A page
    switching to itself leaves no such entry: its URL is the view the switch opened."""
    left = st.session_state.get(_LEFT, {}).get(_link(page, url_params()))
    if left is not None:
        st.session_state[_BUILT] = {name: list(values) for name, values in left.items()}


def url_params() -> dict[str, list[str]]:
    """This run's URL parameters as written so far, each with all its values."""
    return {name: list(values) for name, values in st.session_state[_BUILT].items()}


def url_values(name: str) -> list[str]:
    """All the values of this run's URL parameter `name` as written so far."""
    return list(st.session_state[_BUILT].get(name, []))


def url_value(name: str) -> str | None:
    """The last value of this run's URL parameter `name` (as st.query_params.get reads one), if any."""
    return next(reversed(url_values(name)), None)


def _link(page: str, params: dict[str, str | list[str]]) -> tuple:
    """`page` with URL parameters `params` as a key, whatever their order or form (one value or a list of it)."""
    values = ((name, (value,) if isinstance(value, str) else tuple(value)) for name, value in params.items())
    return page, tuple(sorted((name, value) for name, value in values if value))


def _run() -> _Run:
    return st.session_state.get(_RUN) or _Run(page="", visit=0, linked_view=True, history=False)


def _started_by_history() -> bool:
    """Streamlit (1.67) marks the run a browser's Back or Forward starts, as its own URL-bound widgets need; it has no
    public API for it."""
    ctx = get_script_run_ctx()
    return bool(ctx and ctx.is_history_navigation)


def remember_url(key: str, names: tuple[str, ...]) -> None:
    """Note the URL parameters the control `key` has just written, and in which visit, for `url_moved` and
    `drawn_anew` to compare with on the next run."""
    st.session_state[f"url_seen.{key}"] = (_run().visit, _url_values(names))


def drawn_anew(key: str) -> bool:
    """Whether the control `key` takes its value from the URL, else the one kept from an earlier visit: on its first
    run, and for a page's control on each visit to the page. Streamlit forgets the controls of a page left, but only
    once the next page's run has ended: Back a moment after a click that opened another page found them alive, and
    they took what that URL left out as defaults (the sidebar's live on every page)."""
    seen = st.session_state.get(f"url_seen.{key}")
    return key not in st.session_state or (bool(_PAGE.get()) and (seen is None or seen[0] != _run().visit))


def url_moved(key: str, names: tuple[str, ...]) -> bool:
    """Whether URL parameters `names` are a view the control `key` takes: the browser's Back or Forward or a page switch
    set other values than the control wrote on its last run.

    A link of the navigation menu drops every parameter (Streamlit keeps only those of widgets bound with
    bind="query-params"): a URL without the date range, which every view writes, is such a link's and no earlier
    view, and the values kept in the session stand."""
    seen = st.session_state.get(f"url_seen.{key}")
    run = _run()
    if seen is None or not run.linked_view or seen[1] == _url_values(names):
        return False
    return run.history or seen[0] != run.visit


def switch_page(page: str | Path | st.Page, query_params: dict[str, Any]) -> NoReturn:
    """st.switch_page to `page` on the view `query_params` name: its run is a new visit (`note_run`), whose URL is the
    view, also when the page switches to itself (a Pair explorer's bar narrowing its dates). The URL left is kept for
    Back (`_restore_left_view`)."""
    st.session_state[_SWITCHED] = (_run().page, query_params, url_params())
    st.switch_page(page, query_params=query_params)


def point_to(name: str, value: str) -> None:
    """Set this page's control `name`, drawn further down, to `value` (a click on a chart picks what the controls
    below it show). Kept in the session until the control is drawn in this visit, not sent through the URL: a run the
    next click interrupts would lose it, and that click's run carries the URL the browser had then."""
    st.session_state[f"url_pointed.{state_key(name)}"] = (_run().visit, value)


def _take_pointed(key: str) -> str | None:
    visit, value = st.session_state.pop(f"url_pointed.{key}", (None, None))
    return value if visit == _run().visit else None


def _not_available(label: str, raw: list[str], instead: str = "showing the default") -> None:
    asked = ", ".join(transforms.inline_code(value) for value in raw[:5]) + (" …" if len(raw) > 5 else "")
    st.toast(f"{label}: {asked} is not available with this data; {instead}.", icon=":material/info:")


def page_position(name: str, label: str, context: Any, *, parse: Callable[[str], Any],
                  dump: Callable[[Any], str], valid: Callable[[Any], bool] = lambda _: True) -> Any:
    """A position the page moves itself (buttons call `move_to`), kept in URL parameter `name`; None (the first
    page) from a link it cannot parse or whose position is not `valid` in the list, and again once `context` (the list
    it was chosen in) changes."""
    key = state_key(name)
    if drawn_anew(key) or url_moved(key, (name,)):
        raw = url_values(name)
        try:
            seeded = parse(raw[-1]) if raw else None
        except ValueError:
            seeded = None
        if raw and (seeded is None or not valid(seeded)):
            _not_available(label, raw)
            seeded = None
        st.session_state[key] = (context, seeded)
    chosen_in, position = st.session_state[key]
    if chosen_in != context:  # another search or other filters: another list, which starts at its first page
        move_to(key, context, None)
        position = None
    mirror({name: None if position is None else dump(position)})
    remember_url(key, (name,))
    return position


def move_to(key: str, context: Any, position: Any) -> None:
    """Set the position of `page_position` (by its state key: a button's callback runs outside the page)."""
    st.session_state[key] = (context, position)


def choice(widget: Callable, label: str, name: str, options: list, default=None, **kwargs):
    """A single-choice widget (selectbox, radio, segmented control) over string options."""
    default = options[0] if default is None and options else default
    return synced(widget, label, name, default, options=options, parse=lambda raw: raw[-1], dump=str,
                  valid=lambda v: v in options, **kwargs)


def multichoice(widget: Callable, label: str, name: str, options: list[str], default: tuple = (),
                parse_item: Callable[[str], str | None] = str, max_selections: int | None = None,
                **kwargs) -> tuple[str, ...]:
    """A multiselect whose URL value repeats the parameter. A link's unknown values are dropped and its values past
    `max_selections` cut (a widget seeded with more raises an error on every run), each with a toast; a link with
    none that is known gets the default (not an empty selection)."""
    allowed = set(options)

    def parse(raw: list[str]) -> list[str] | None:
        asked = {value: parse_item(value) for value in dict.fromkeys(raw)}
        known = list(dict.fromkeys(item for item in asked.values() if item in allowed))
        unknown = [value for value, item in asked.items() if item not in allowed]
        if unknown and known:  # with none known, synced says the default is shown
            _not_available(label, unknown, "left out")
        if max_selections and len(known) > max_selections:
            st.toast(f"{label}: the link names {len(known)}; showing the first {max_selections}.",
                     icon=":material/info:")
        return known[:max_selections] or None

    value = synced(widget, label, name, list(default), options=options, parse=parse, dump=list,
                   valid=lambda v: set(v) <= allowed and len(v) <= (max_selections or len(v)),
                   keep_default=bool(default), max_selections=max_selections, **kwargs)
    return tuple(value)


ANY = "(any)"


def optional_choice(widget: Callable, label: str, name: str, options: list[str], **kwargs) -> str | None:
    """A single choice among `options` or none of them (listed first as "(any)", returned as None)."""
    picked = choice(widget, label, name, [ANY, *options], **kwargs)
    return None if picked == ANY else picked


def text(widget: Callable, label: str, name: str, default: str, limit: int, what: str, **kwargs) -> str:
    """A text box (text_input, text_area) kept in URL parameter `name`, of at most `limit` characters. A link's longer
    text is cut to its first `limit`, and a warning under the box says so, naming the link's `what` ("search"), while
    the box holds the text cut: cut silently, a search ran on words the reader never saw go."""
    cut_key = f"cut.{state_key(name)}"

    def parse(raw: list[str]) -> str:
        asked = raw[-1]
        st.session_state[cut_key] = (asked[:limit], len(asked)) if len(asked) > limit else None
        return asked[:limit]

    value = synced(widget, label, name, default, parse=parse, dump=str, max_chars=limit, **kwargs)
    cut = st.session_state.get(cut_key)
    if cut and cut[0] == value:
        st.warning(f"The link's {what} ran to {cut[1]:,} characters, more than this box holds: it was cut to its "
                   f"first {limit:,}, shown here.", icon=":material/content_cut:")
    else:
        st.session_state.pop(cut_key, None)
    return value


# How a link may write a switch, case aside: anything but "1" read as off, and `dated_only=yes` silently left the
# undated articles in. What is none of these is refused (a toast), not taken for either.
LINKED_SWITCH = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def switch(widget: Callable, label: str, name: str, default: bool, **kwargs) -> bool:
    """A toggle or checkbox kept in the URL as 1 or 0 (a link's LINKED_SWITCH spellings are read too)."""
    return synced(widget, label, name, default, parse=lambda raw: LINKED_SWITCH.get(raw[-1].strip().lower()),
                  dump=lambda value: "1" if value else "0", **kwargs)


def number(widget: Callable, label: str, name: str, default: int, low: int, high: int, **kwargs) -> int:
    def parse(raw: list[str]) -> int:
        """A link's number outside the widget's range is brought into it ("top=100000" shows the largest allowed):
        that is nearer what was asked for than the default."""
        asked = int(raw[-1])
        kept = min(max(asked, low), high)
        if kept != asked:
            st.toast(f"{label}: {asked} is outside {low}–{high}; showing {kept}.", icon=":material/info:")
        return kept

    return synced(widget, label, name, default, parse=parse, dump=str, valid=lambda v: low <= v <= high,
                  min_value=low, max_value=high, **kwargs)


def default_dates(last_day: date, first_day: date, last_dated_day: date | None = None) -> tuple[date, date]:
    """The last DEFAULT_DAYS days up to the newest article; up to the newest dated one when none of those days holds
    a dated article: a replay of old captures files its undated items under the replay day, and the charts would open on
    90 empty days."""
    end = last_day
    if last_dated_day is not None and last_dated_day < last_day - timedelta(days=DEFAULT_DAYS - 1):
        end = last_dated_day
    return max(first_day, end - timedelta(days=DEFAULT_DAYS - 1)), end


def _date_range(first_day: date, last_day: date, last_dated_day: date | None) -> tuple[date, date]:
    """The date-range picker, mirrored as `from` and `to` parameters."""
    key = state_key(DATES)
    default = default_dates(last_day, first_day, last_dated_day)
    if drawn_anew(key) or url_moved(key, DATE_PARAMS):
        reach = _linkable_days(first_day, last_day)
        start, end = (_linked_day(name, label, fallback, reach)
                      for name, label, fallback in (("from", "From", default[0]), ("to", "To", default[1])))
        st.session_state[key] = (min(start, end), max(start, end))
    picked = st.sidebar.date_input("Dates", key=key, format="YYYY-MM-DD", help=DATES_HELP)
    # While the analyst is mid-pick the widget holds one date: treat it as a one-day range.
    start, end = (tuple(picked) * 2)[:2] if isinstance(picked, (tuple, list)) and picked else default
    # both ends at once: Back after a menu link's page (whose URL has neither) showed its new start and old end
    mirror({"from": start.isoformat(), "to": end.isoformat()})
    remember_url(key, DATE_PARAMS)
    if (start, end) == default and end < last_day:
        st.sidebar.caption(f"The range ends on {end}, the last day of an article with a usable date: the articles "
                           f"filed up to {last_day} have none and count on the day they were stored.")
    return start, end


LINK_YEARS = 10  # either side of today: as far as the date picker reaches


def _linkable_days(first_day: date, last_day: date) -> tuple[date, date]:
    """The first and last day a link's range may name: those the picker offers, and every stored day. A link to
    year 1 put the period before it ahead of the calendar's first day (Overview and Co-occurrence raised
    OverflowError)."""
    today = datetime.now(UTC).date()
    return (min(first_day, transforms.years_from(today, -LINK_YEARS)),
            max(last_day, transforms.years_from(today, LINK_YEARS)))


def _linked_day(name: str, label: str, fallback: date, reach: tuple[date, date]) -> date:
    """The day a link's `from` or `to` names, brought within `reach`; `fallback` with a toast when it is no day
    ("2026-02-30"): the other end of the range stays as linked (a bad `from` does not drop a good `to`)."""
    raw = url_value(name)
    try:
        day = date.fromisoformat(raw) if raw else fallback
    except ValueError:
        st.toast(f"{label}: {transforms.inline_code(raw)} is no date (YYYY-MM-DD); showing {fallback}.",
                 icon=":material/info:")
        return fallback
    kept = min(max(day, reach[0]), reach[1])
    if kept != day:
        st.toast(f"{label}: {day} is further from today than a link can reach; showing {kept}.",
                 icon=":material/info:")
    return kept


ALL_TOPICS = "all_topics"  # URL name = Scope field: the Topics list keeps articles with all its topics, not any
DATED_ONLY = "dated_only"  # URL name = Scope field: without the articles filed under the day first stored
UNLISTED_ONLY = "unlisted_only"  # URL name = Scope field: a pair's articles without those that only list the two
UNLISTED_ONLY_LABEL = "Leave out list-only pairs"
AS_OF = "as_of"  # URL name = Scope field: the run a view is pinned to, so a quoted number keeps its link's data
AS_OF_LABEL = "Data as of run"
LINKED_RUN = re.compile(r"[0-9]{1,18}")  # a run id as a link may write it: digits within DuckDB's BIGINT
# "Data as of run"'s first option, the latest data: no run id (they start at 1). Not None, which a selectbox shows as
# nothing chosen: the sidebar read "Choose an option" while it showed every article stored.
LATEST_RUN = 0


def sidebar_params() -> dict[str, list[str]]:
    """The sidebar's current URL parameters, to carry along when a page switches to another one."""
    names = ("from", "to", *(name for name, _ in transforms.SIDEBAR_LISTS), ALL_TOPICS, DATED_ONLY, UNLISTED_ONLY,
             AS_OF)
    return {name: values for name in names if (values := url_values(name))}


# Each list keeps the articles matching any of its values, and its help says so: a reader of Topics = finance and
# sanctions would otherwise take its articles as being about both.
# Pickers list a pair as downloads, links and the CLI write it, which is what an analyst types: the en dash of
# transforms.pair_label (headings, tables, charts) is on no keyboard, and typing "PRK-RUS" found nothing.
# An analyst in Seoul typed the day of the Pyongyang summit and missed its Seoul morning: nothing said the days are UTC
DATES_HELP = ("First and last day, both included, as UTC days: an article counts on the UTC day of its publication "
              "(08:30 in Seoul on 19 June is 23:30 UTC on 18 June, so 18 June's), an undated one on the day it was first "
              "stored.")
PAIR_TYPING = "Pairs are listed as PRK-RUS: the two codes in alphabetical order; type one code to list its pairs."
SIDEBAR_HELP = {
    "countries": "Articles naming any of these countries (not only those naming all).",
    "pairs": f"Articles connecting any of these pairs. Lists the {LISTED_PAIRS} pairs with most articles and every "
             f"pair of the Countries chosen above: choose a country there to reach a rarer pair. {PAIR_TYPING}",
    "topics": "Articles whose own topics include any of these (two topics: the articles of either; the switch below "
              "keeps only those with all of them). "
              "An article's topic needs its words over the whole article (diplomacy: or one sentence naming two "
              "countries that carries it); for the topics of the sentences naming two countries, use the Pair "
              "explorer's Sentence topic. Topics are tagged in English articles only: articles in other languages "
              "have none, so any topic leaves them out.",
    DATED_ONLY: "Articles whose feed gave no usable publication date (none, unreadable or in the future) are filed "
                "under the day PactWatch first stored them, which can be long after (old captures replayed): their "
                "rows are the ones not ticked `dated`. On, every count, chart and table leaves them out.",
    UNLISTED_ONLY: "A sentence such as \"Russia, China, Iran and North Korea are ...\" names two countries only as "
                   "items of one list of countries: in hand-labelled news such a sentence relates the two once in 25. "
                   "On, an article counts for a pair only when one of its sentences naming both does more than list "
                   "them (an article about both countries with no sentence naming both still counts): every pair "
                   "count, chart and table (the Overview's pairs and rising pairs, Co-occurrence, Trends of pairs, the "
                   "Pair explorer's charts and articles) and the Pairs filter leave the others out; countries and "
                   "topics are counted as before, and the alerts too. The Pair explorer's evidence table has its own "
                   "switch for listing sentences.",
    AS_OF: "Only the articles that run or an earlier one stored: a later ingest, import or backfill dated inside these "
           "dates changes no number of the view, so a number quoted with this page's link (or a download, which names "
           "the run as `as_of`) can be checked again. Latest: every article stored. When a retag since gave those "
           "articles tags of another tagger version, the page says so.",
    "languages": "The language each article was read in: the one its feed or entry declares (de for de-AT and "
                 "de-DE alike), else, when none is declared, the one the tagger read from its words (German, French, "
                 "...), else English, as the tagger reads an article in which it finds no other.",
}


# How a link's value names a sidebar choice: a code or pair in any case or form ("rus", "RUS–PRK"), a language by its
# region's tag ("en-US": the choices are languages, queries.DECLARED_LANGUAGE); other lists take the value as it is.
LINKED_ITEM = {"countries": transforms.parse_code, "pairs": transforms.parse_pair,
               "outlet_countries": transforms.parse_code, "languages": primary_subtag}


def linked_run(raw: str | None) -> int | None:
    """The run id a link's `as_of` names; None for anything else ("abc", "-1", digits past a BIGINT): URL parameters
    are untrusted, and an unchecked one reached DuckDB as a number it cannot hold."""
    text = (raw or "").strip()
    return int(text) if LINKED_RUN.fullmatch(text) else None


def _as_of(runs: dict[int, str]) -> int | None:
    """The sidebar's "Data as of run": the latest data (None) by default, else one of `runs` (run id: label). A link's
    run that is malformed or not in `runs` is named in a toast, and the latest data shown."""
    run = synced(st.sidebar.selectbox, AS_OF_LABEL, AS_OF, LATEST_RUN, options=[LATEST_RUN, *runs],
                 format_func=lambda run: runs.get(run, "latest (every article stored)"),
                 parse=lambda raw: linked_run(raw[-1]), dump=str, valid=lambda run: run == LATEST_RUN or run in runs,
                 instead="showing the latest data", help=SIDEBAR_HELP[AS_OF])
    return None if run == LATEST_RUN else run


def sidebar(status: dict, options: dict[str, list[str]], pair_choices: Callable[[tuple[str, ...]], list[str]],
            runs: dict[int, str]) -> Scope:
    """Draw the shared filters in the sidebar and return the Scope they describe. The Pairs list holds
    `pair_choices(countries)`, those of the Countries chosen above it included; "Data as of run" lists `runs`."""
    st.sidebar.header("Filters", anchor=False)
    start, end = _date_range(status["first_day"], status["last_day"], status["last_dated_day"])
    chosen = {AS_OF: _as_of(runs),
              DATED_ONLY: switch(st.sidebar.toggle, "Leave out undated articles", DATED_ONLY, False,
                                 help=SIDEBAR_HELP[DATED_ONLY]),
              UNLISTED_ONLY: switch(st.sidebar.toggle, UNLISTED_ONLY_LABEL, UNLISTED_ONLY, False,
                                    help=SIDEBAR_HELP[UNLISTED_ONLY])}
    for name, label in transforms.SIDEBAR_LISTS:
        listed = pair_choices(chosen["countries"]) if name == "pairs" else options[name]
        chosen[name] = multichoice(st.sidebar.multiselect, label, name, listed,
                                   parse_item=LINKED_ITEM.get(name, str), help=SIDEBAR_HELP.get(name))
        if name == "topics" and len(chosen[name]) > 1:
            chosen[ALL_TOPICS] = switch(st.sidebar.toggle, "Only articles with all of these topics", ALL_TOPICS, False)
        elif name == "topics":  # no switch to show it: a click through to one topic left all_topics=1 in the URL
            mirror({ALL_TOPICS: None})
    return Scope(start=start, end=end, **chosen)
