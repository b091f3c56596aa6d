"""Editors build practice sets in the Wagtail admin ("Practice tests"): a set, its format and
service (which decides the coaches who score it), and its scenarios inline; and the formats
themselves ("Practice formats"), so next cycle's test is an edit, not a release; and the
competencies coaches tag answers with ("Practice competencies")."""

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.history import register_actions
from practice.history import AttemptAction
from practice.models import Competency, PracticeFormat, PracticeSet


class PracticeSetViewSet(SnippetViewSet):
    model = PracticeSet
    icon = "time"
    menu_label = "Practice tests"
    menu_order = 255
    add_to_admin_menu = True
    list_display = [
        "title",
        Column("kind", label="Kind", accessor="get_kind_display"),
        Column("format", label="Format", accessor="format_label"),
        Column("service", label="Scored by coaches of"),
        BooleanColumn("active"),
    ]
    list_filter = ["kind", "active"]
    search_fields = ["title", "introduction"]
    search_backend_name = None
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("service")]),
                FieldPanel("format"),
                FieldPanel("introduction"),
                FieldRowPanel(
                    [FieldPanel("break_after"), FieldPanel("break_seconds")],
                    heading="Break (sets without a format)",
                ),
                FieldRowPanel([FieldPanel("active"), FieldPanel("sort_order")]),
            ],
            heading="Set",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("station_count"), FieldPanel("station_response")]),
                FieldRowPanel(
                    [FieldPanel("station_reading_seconds"), FieldPanel("station_answer_seconds")]
                ),
            ],
            heading="MMI stations (drawn from the question bank; MMI sets only)",
        ),
        InlinePanel(
            "scenarios",
            heading="Scenarios (CASPer-style sets)",
            label="Scenario",
            panels=[
                FieldPanel("title"),
                FieldPanel("prompt"),
                FieldPanel("video"),
                FieldPanel("transcript"),
                FieldPanel("question_1"),
                FieldPanel("question_2"),
                FieldPanel("question_3"),
                FieldRowPanel([FieldPanel("time_limit_seconds"), FieldPanel("reading_seconds")]),
                FieldPanel("guidance"),
            ],
        ),
    ]


register_snippet(PracticeSetViewSet)


class PracticeFormatViewSet(SnippetViewSet):
    model = PracticeFormat
    icon = "table"
    menu_label = "Practice formats"
    menu_order = 256
    add_to_admin_menu = True
    list_display = ["name", "cycle", BooleanColumn("current"), "scenario_count"]
    search_backend_name = None
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name"), FieldPanel("cycle")]),
                FieldPanel("current"),
                FieldPanel("source"),
                FieldPanel("description"),
            ],
            heading="Format",
        ),
        InlinePanel(
            "sections",
            heading="Sections, in the order applicants meet them",
            label="Section",
            min_num=1,
            panels=[
                FieldRowPanel([FieldPanel("title"), FieldPanel("response")]),
                FieldRowPanel([FieldPanel("scenario_count"), FieldPanel("questions_per_scenario")]),
                FieldRowPanel([FieldPanel("one_at_a_time"), FieldPanel("seconds")]),
                FieldPanel("break_seconds_after"),
            ],
        ),
    ]


register_snippet(PracticeFormatViewSet)


class CompetencyViewSet(SnippetViewSet):
    model = Competency
    icon = "tag"
    menu_label = "Practice competencies"
    menu_order = 257
    add_to_admin_menu = True
    list_display = ["name", "description", "sort_order", BooleanColumn("active")]
    list_filter = ["active"]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = ["sort_order", "name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("sort_order"), FieldPanel("active")]),
    ]


register_snippet(CompetencyViewSet)


@hooks.register("register_log_actions")
def register_history_actions(actions):
    """What can happen to a practice attempt, as actions of the one history (core.history)."""
    register_actions(actions, AttemptAction)
