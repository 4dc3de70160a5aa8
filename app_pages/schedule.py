"""Schedule & capacity: when the whole portfolio sends, in your timezone, and how much per day."""

import zoneinfo
from datetime import datetime

import streamlit as st

from smartlead import schedule
from smartlead.charts import HEATMAP_MEASURES, capacity_chart, week_heatmap_chart
from ui.charts import draw_chart
from ui.page import for_display, portfolio
from ui.runway import runway_section
from ui.tables import labelled
from ui.text import escape_markdown
from ui.window import viewer_timezone

view = portfolio().view
viewer_tz = viewer_timezone()
controls = st.columns([2, 1, 2])
controls[0].caption(
    escape_markdown(
        f"Hours in {viewer_tz}, the time zone chosen next to the window in the sidebar "
        "(daylight-saving time included)."
    )
)
today = datetime.now(zoneinfo.ZoneInfo(viewer_tz)).date()
week_of = (
    controls[1].date_input(
        "Week of", value=today, key="week", bind="query-params", format="YYYY-MM-DD"
    )
    or today
)
measure = controls[2].segmented_control(
    "Colour by", list(HEATMAP_MEASURES), default="Campaigns sending", key="measure"
)

st.subheader("The week, hour by hour")
st.caption(
    "Active campaigns inside their sending window each hour of the week "
    f"of {schedule.week_start(week_of):%d %b %Y}, converted to {viewer_tz}. "
    "A campaign counts in an hour if it may send during any part of it."
)
NO_ACTIVE = "No active campaign in this view, so nothing is sending."
heatmap = schedule.weekly_heatmap(view, week_of, viewer_tz)
if not heatmap["campaigns"].any():
    st.info(NO_ACTIVE + " Every hour of this week is empty.", icon=":material/bar_chart_off:")
st.altair_chart(week_heatmap_chart(heatmap, measure or "Campaigns sending", viewer_tz))

st.subheader("Daily capacity")
by_client, by_tag = st.tabs(["Per client", "Per tag"])
with by_client:
    weekly = schedule.weekly_capacity(view, by="client_name")
    st.metric(
        "Weekly send limit of active campaigns",
        f"{weekly.total:,}",
        help="Sum over the week of max_leads_per_day, counting each campaign on its sending days.",
    )
    draw_chart(
        capacity_chart(schedule.daily_capacity(view, by="client_name"), "client_name", "Client"),
        empty=NO_ACTIVE,
    )
    st.dataframe(
        weekly.by_group,
        hide_index=True,
        column_config={
            "client_name": "Client",
            "weekly_limit": st.column_config.NumberColumn("Weekly limit", format="%d"),
            "campaigns": "Active campaigns",
        },
    )
with by_tag:
    st.caption(
        "A campaign with two tags counts under both, so the tags add up to more than the total."
    )
    draw_chart(
        capacity_chart(
            schedule.daily_capacity(view, by="tags"),
            "tags",
            "Tag",
            tag_colors=portfolio().options.tag_colors,
        ),
        empty=NO_ACTIVE,
    )
    st.dataframe(
        schedule.weekly_capacity(view, by="tags").by_group,
        hide_index=True,
        column_config={
            "tags": "Tag",
            "weekly_limit": st.column_config.NumberColumn("Weekly limit", format="%d"),
            "campaigns": "Active campaigns",
        },
    )

st.subheader("Sending at weekends or at night")
night_start, night_end = schedule.NIGHT_HOURS
st.caption(
    f"Active campaigns that send on Saturday or Sunday, or between {night_start}:00 and "
    f"{night_end}:00, as seen in {viewer_tz}."
)
late = schedule.off_hours(view, viewer_tz, week_of)
if late.empty:
    st.success("No active campaign sends at weekends or at night in this timezone.")
else:
    st.dataframe(
        late,
        hide_index=True,
        column_config=labelled(
            weekend_hours=st.column_config.NumberColumn("Weekend hours", format="%.1f"),
            night_hours=st.column_config.NumberColumn("Night hours", format="%.1f"),
            reason="Why it is listed",
        ),
    )

st.subheader("Schedules that need attention")
unscheduled = schedule.unscheduled_active(view)
problems = schedule.schedule_problems(view)
left, right = st.columns(2)
left.metric("Active campaigns with no usable schedule", len(unscheduled))
right.metric("Schedule problems (any status)", len(problems))
if not problems.empty:
    st.dataframe(
        for_display(problems.drop(columns=["problem_code"])),
        hide_index=True,
        column_config=labelled(
            problem="Problem", in_heatmap=st.column_config.CheckboxColumn("In the heatmap")
        ),
    )

runway_section(portfolio())
