"""Alerts: current spikes, the rule that fired with its numbers, and the evidence behind each one."""
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from pipeline.dashboard import data, filters, transforms, ui
from pipeline.dashboard.routes import ALERT

OVERVIEW_COLUMNS = ["window_start", "day", "pair", "topics", "alerts", "topic", "kind", "rule", "current", "baseline", "ratio", "z",
                    "outlets", "undated", "stories", "top_outlet_share", "top_outlet_rise_share", "coverage",
                    "day_over", "continues", "episode"]
# The alerts' columns on screen: the 15 scrolled sideways on a 1366-px laptop, the rise's size out of sight beside
# its pair. First what an alert is judged by: its series and window, how far it rose over what was expected, then
# what to trust it by (outlets, undated articles, a coverage gap); "Show all columns" adds how its rule computed it.
# The downloads keep every column, in OVERVIEW_COLUMNS' order.
READ_FIRST = ["pair", "topics", "window_start", "day", "current", "baseline", "ratio", "z", "outlets", "undated",
              "coverage", "day_over"]
READ_AFTER = [column for column in OVERVIEW_COLUMNS if column not in READ_FIRST]
HELD_COLUMNS = ["day", "pair", "topic", "rule", "firings", "gate", "reason"]
KEPT_OUT_COLUMNS = ["window_start", "day", "pair", "topic", "rule", "current", "baseline", "ratio", "z", "outlets",
                    "undated", "stories", "floor", "days", "first_day"]
# What each column means, as its header and hover help (the frame and its downloads keep the `alerts --json` keys).
COLUMN_HELP = {
    "window_start": ("from", "The first day of the alert's window."),
    "day": ("to", "The last day of the alert's window: the day the rule fired."),
    "day_over": ("day over", "Unticked: the window ends today (UTC), whose articles are still arriving: its numbers "
                             "are those so far, and a webhook gets the alert once, with them."),
    "topics": ("topics", "A row is an episode: the pair's alerts whose windows overlap (a summit story rising on "
                         "military, diplomacy and trade at once), its topics strongest first (most articles above "
                         "expected; \"all topics\": an alert on the whole pair). Its numbers are the strongest "
                         "alert's; \"Evidence for\" below opens each. The downloads hold a row per alert, each "
                         "with its episode's topics."),
    "alerts": ("alerts", "The episode's alerts: one per topic (or the whole pair) that rose."),
    "topic": ("strongest topic", "The topic of the row's numbers, the episode's strongest alert. Empty for an alert "
                                 "on the whole pair, all topics together."),
    "episode": ("episode", "The episode's id, shared by its alerts: the pair and their earliest window's first day "
                           "(`episode` in `pactwatch alerts --json`)."),
    "kind": ("signal", "surge: the week against past weeks; weekday_zscore: a 4-day burst against the usual level "
                       "for those weekdays; new_pair: two countries named together for the first time in its "
                       "look-back (a year: seeds/alerts.toml's prior_days)."),
    "rule": ("rule", "The rule of seeds/alerts.toml that fired."),
    "current": ("articles", "Articles in the alert's window (from → to) whose pair carries the topic, as the "
                            "Co-occurrence page and the Pair explorer count it. Trends' topic filter counts the "
                            "articles' own topics, which can give a few more or fewer."),
    "baseline": ("expected", "Articles the series' history predicts for that window. surge: the average week of the "
                             "weeks before (the rule's baseline_weeks, 4 or 52). weekday_zscore: the series' level "
                             "over the 12 weeks before, scaled by the corpus's weekday rhythm, earlier bursts left "
                             "out, so not a plain average. new_pair: the pair's articles in its look-back before "
                             "the window. seeds/alerts.toml has each rule's numbers."),
    "ratio": ("× expected", None),
    "z": ("z", "How unusual the window is (signed deviance); rules need 4 or more. Blank where nothing was "
               "expected: a z against 0 only grows with the count."),
    "stories": ("stories", "The stories the window's articles are: copies of one story (a wire story several outlets "
                           "ran under their own addresses) count once. Fewer than its articles: some are copies, "
                           "which the outlets count as coverage each."),
    "undated": ("undated", "Articles of the window without a date of their own, filed on the day PactWatch first "
                           "stored them: a new feed's backlog or a replay of old captures, not news of those days, "
                           "can make such a rise."),
    "top_outlet_share": ("top outlet share", "Share of the window's articles from its busiest outlet."),
    "top_outlet_rise_share": ("top outlet share of rise", "Share of the rise over expected from the busiest outlet."),
    "coverage": ("coverage", "ok, or the gap that touched the window (feeds or volume dropped)."),
    "continues": ("continues from", "The day of the first alert of the episode this one continues: the pair, at "
                                    "any topic, alerted within the cool-down plus a window before it. Its × is not "
                                    "a fresh rise (burst_weekday's expected count leaves the earlier bursts out). "
                                    "Empty for a fresh rise."),
}

KEPT_OUT_HELP = {
    "floor": ("kept out by", "Each floor of the rule the window fell below, or the warm-up (warmup_days), in the "
                             "rule's own units: why no rule tested this rise."),
    "days": ("days", "Days on which a floor kept a rise on this series out (days within the cool-down either side "
                     "of a rule firing on its pair, at any topic, aside); the row is the biggest of them."),
    "first_day": ("first day", "The first of those days."),
}

SHARES = ("top_outlet_share", "top_outlet_rise_share")  # in percent, as every other page writes a share
EVIDENCE_FOR = "Evidence for"  # the alert picker's label
SHOW_ALL = "Show all columns"

view = ui.page("Alerts", needs_articles=False)
if mistakes := data.alert_rules_mistakes():
    ui.error_with_reasons("The alert rules cannot be used (fix the file and reload this page):", mistakes)
    filters.stop()
# after the rules' check, which needs no article: without articles, "widen the dates" would point at no dates
ui.stop_without_articles(view)
since, until = view.scope.start, view.scope.end  # the sidebar's dates


def show_kept_out(kept_out: list[dict], back: dict[str, str]) -> None:
    """The rises a rule's floor kept from being tested, biggest first: a quiet pair that exploded fits no rule."""
    if not kept_out:
        return
    st.header("Rose, but below a rule's floor", anchor=False)
    st.caption(f"{len(kept_out)} series rose past a rule's ratio and z (computed as the rule would) but fell below one "
               "of its floors (expected articles, articles, days of history) or inside the warm-up, so no rule "
               f"tested them; biggest rise first, at most {data.kept_out_listed()} (kept_out_listed in "
               "seeds/alerts.toml). Not alerts: check them on the Pair explorer.")
    shown = pd.DataFrame(kept_out)[KEPT_OUT_COLUMNS]
    ui.table(shown.assign(pair=shown["pair"].map(transforms.pair_label)), "alerts_kept_out",
             column_config={column: st.column_config.Column(label, help=help_text)
                            for column, (label, help_text) in (COLUMN_HELP | KEPT_OUT_HELP).items()
                            if column in KEPT_OUT_COLUMNS})
    offer_to_open(kept_out, "alerts.open_kept_out", back)


def offer_to_open(series: list[dict], key: str, back: dict[str, str]) -> None:
    """One of the listed held-back or kept-out series opened in the Pair explorer on its window (a held-back one: the
    week up to its day), with `back` to these alerts: their tables are text, and a rise worth a look was a dead
    end."""
    by_label = {f"{transforms.pair_label(item['pair'])} {item['topic'] or '(all topics)'} · {item['day']}": item
                for item in series}  # one entry per series
    picked = st.selectbox("Open one in the Pair explorer, on its days", list(by_label), index=None, key=key,
                          placeholder="Choose a series")
    if picked is not None:
        item = by_label[picked]
        del st.session_state[key]  # a return to this page must not switch away again
        last = date.fromisoformat(str(item["day"]))
        first = item.get("window_start") or (last - timedelta(days=6)).isoformat()
        ui.open_pair(item["pair"], item["topic"], (str(first), last.isoformat()), back=back)


raised, held, kept_out = data.alerts(view.snapshot, since, until)
back = {ui.BACK_FROM: str(since), ui.BACK_TO: str(until)}  # a series opened from here leads back to these alerts
alerts = transforms.alerts_in_scope(raised, view.scope)
held = transforms.alerts_in_scope(held, view.scope)
kept_out = transforms.alerts_in_scope(kept_out, view.scope)
if view.scope.outlets or view.scope.outlet_countries or view.scope.languages or view.scope.dated_only:
    st.caption("Alerts are computed over every outlet and language, undated articles included: the outlet, language "
               "and undated filters do not apply (the evidence's `dated` column marks the undated articles).")
if view.scope.as_of is not None:
    st.caption(f"Alerts are computed over every article stored, also after run {view.scope.as_of}: \"Data as of run\" "
               "does not apply to them (nor to their evidence).")
if view.scope.unlisted_only:
    st.caption("Alerts count every article connecting a pair, those naming it only in lists of countries included: "
               "\"Leave out list-only pairs\" does not apply to them (the evidence lists each sentence).")
if not alerts:
    narrowed = bool(view.scope.countries or view.scope.pairs or view.scope.topics)
    ui.empty(transforms.no_alerts_message(len(raised), held, narrowed, kept_out=len(kept_out)))
    filters.not_drawn(EVIDENCE_FOR, ALERT)
    filters.not_drawn(SHOW_ALL, filters.ALL_COLUMNS)
    show_kept_out(kept_out, back)
    filters.stop()
episode_rows = transforms.episode_rows(alerts)
st.caption(transforms.alerts_caption(len(alerts), len(raised), since, until)
           + transforms.episodes_note(len(episode_rows), len(alerts))
           + (f" Rules also fired on {len(held)} series a gate held back: listed at the bottom." if held else "")
           + (f" {len(kept_out)} series rose below a rule's floor: listed at the bottom." if kept_out else ""))

all_columns = filters.switch(st.toggle, SHOW_ALL, filters.ALL_COLUMNS, False,
                             help="Adds the signal and the rule that fired, and the busiest outlet's share of the "
                                  "articles and of the rise. The CSV and Parquet downloads hold every column either "
                                  "way.")
overview = pd.DataFrame(episode_rows)[OVERVIEW_COLUMNS]
# the downloads: a row per alert, each topic's numbers, with its episode's topics and count
every_alert = pd.DataFrame(alerts).merge(overview[["episode", "topics", "alerts"]], on="episode")[OVERVIEW_COLUMNS]
ui.table(overview.assign(pair=overview["pair"].map(transforms.pair_label)), "alerts", complete=lambda: every_alert,
         column_config={column: st.column_config.NumberColumn(label, help=help_text, format="percent")
                        if column in SHARES else st.column_config.Column(label, help=help_text)
                        for column, (label, help_text) in COLUMN_HELP.items()},
         column_order=READ_FIRST + READ_AFTER if all_columns else READ_FIRST)
# kept in the URL by what the alert is (Alert.key), not its place in the list, so a shared link opens the same alert
by_key = {alert["key"]: alert for alert in alerts}
chosen = filters.choice(st.selectbox, EVIDENCE_FOR, ALERT, list(by_key), keep_default=True,
                        format_func=lambda key: transforms.alert_label(by_key[key]))
alert = by_key[chosen]
if alert["coverage"] != "ok":
    st.warning("This window touches a day when feeds or volume dropped: check the Feeds page before reading it.")
if alert["undated"]:
    st.warning(transforms.undated_alert_warning(alert))
articles, sentences = data.evidence(view.snapshot, alert)
sentences_caption, articles_caption = transforms.alert_evidence_captions(
    alert, len(articles), len(sentences), data.evidence_sentences(view.snapshot, alert))
st.header("Sentences naming both countries", anchor=False)
st.caption(sentences_caption)
window = (date.fromisoformat(alert["window_start"]), date.fromisoformat(alert["day"]))  # the evidence's days
ui.table(sentences, "alert_sentences", column_config={"cue_words": ui.CUE_WORDS_COLUMN, **ui.WHY_COLUMN}, days=window)
st.header("Articles", anchor=False)
st.caption(articles_caption)
ui.table(articles, "alert_articles", column_config=ui.WHY_COLUMN, days=window)
opened_from = {**back, ui.BACK_ALERT: chosen}
before = transforms.days_before_alert(data.alert_rule(alert["rule"])) or transforms.NO_BASELINE_DAYS_SHOWN
context = transforms.alert_context(window, before, (view.status["first_day"], view.status["last_day"]))
opening = st.container(horizontal=True)
if opening.button("Open this pair in the Pair explorer, on the alert's days", icon=":material/open_in_new:",
                  help="The sidebar's dates become the alert's days; a link there leads back to these alerts."):
    ui.open_pair(alert["pair"], alert["topic"], (str(alert["window_start"]), str(alert["day"])), back=opened_from)
# the window alone hid what it rose from: 4 days of bars, and a jump to the whole history as the only way wider
if opening.button(f"… with the {(window[0] - context[0]).days} days before it and the week after",
                  icon=":material/date_range:",
                  help="The sidebar's dates become the alert's days, the days before them from which its rule's "
                       "expected count came (its baseline_weeks in seeds/alerts.toml; a new pair's: four weeks, in "
                       "which the two were never named together) and up to a week after: did the rise hold? A link "
                       "there leads back to these alerts."):
    ui.open_pair(alert["pair"], alert["topic"], (context[0].isoformat(), context[1].isoformat()), back=opened_from)

if held:  # a rise one outlet alone carried is no alert, but an analyst should see it, also when others alerted
    st.header("Held back", anchor=False)
    st.caption(f"Rules fired on {len(held)} more series, which a gate of seeds/alerts.toml kept from alerting: too "
               "few outlets, one outlet carrying most of the rise, copies of a few stories (a wire story run by "
               "several outlets) making most of it, or a coverage gap in the window. Check such a rise on the Pair "
               "explorer before reading anything into it.")
    held = sorted(held, key=lambda item: str(item["day"]), reverse=True)
    shown = pd.DataFrame(held)[HELD_COLUMNS]
    ui.table(shown.assign(pair=shown["pair"].map(transforms.pair_label)), "alerts_held_back")
    offer_to_open(held, "alerts.open_held", back)
show_kept_out(kept_out, back)
