"""Version 1 of the API, under /api/v1/ (namespace `api:v1`). One router; a resource is one
module of api/v1 and one line here."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from api.v1.accounts import AccountViewSet
from api.v1.actions import AccountActionViewSet, ActionViewSet
from api.v1.assessments import (
    AccountAssessmentViewSet,
    AssessmentViewSet,
    QuestionVersionViewSet,
)
from api.v1.capacities import CapacityViewSet
from api.v1.dashboard import DashboardViewSet
from api.v1.decision_model import DecisionModelVersionViewSet
from api.v1.orders import AccountOrderViewSet, OrderBulkViewSet
from api.v1.people import AccountContactViewSet, AccountEventViewSet, ContactViewSet, EventViewSet
from api.v1.pins import AccountPinViewSet, PinViewSet
from api.v1.plans import AccountGoalViewSet, AccountPlanViewSet, GoalViewSet, PlanViewSet
from api.v1.runs import NightlyRunViewSet
from api.v1.tasks import PlaybookViewSet, TaskViewSet

app_name = "v1"

router = SimpleRouter(use_regex_path=False)  # path converters: <int:pk>
router.register("accounts", AccountViewSet, basename="account")
router.register("accounts/<int:account_pk>/orders", AccountOrderViewSet, basename="account-order")
router.register("orders", OrderBulkViewSet, basename="order")
router.register(
    "accounts/<int:account_pk>/contacts", AccountContactViewSet, basename="account-contact"
)
router.register("contacts", ContactViewSet, basename="contact")
router.register("accounts/<int:account_pk>/events", AccountEventViewSet, basename="account-event")
router.register("events", EventViewSet, basename="event")
router.register(
    "accounts/<int:account_pk>/assessments", AccountAssessmentViewSet, basename="account-assessment"
)
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("question-versions", QuestionVersionViewSet, basename="question-version")
router.register("pins", PinViewSet, basename="pin")
router.register(
    "decision-model/versions", DecisionModelVersionViewSet, basename="decision-model-version"
)
router.register("capacities", CapacityViewSet, basename="capacity")
router.register("nightly-runs", NightlyRunViewSet, basename="nightly-run")
router.register("plans", PlanViewSet, basename="plan")
router.register("accounts/<int:account_pk>/plan/goals", AccountGoalViewSet, basename="account-goal")
router.register("goals", GoalViewSet, basename="goal")
router.register(
    "accounts/<int:account_pk>/plan/actions", AccountActionViewSet, basename="account-action"
)
router.register("actions", ActionViewSet, basename="action")
router.register("tasks", TaskViewSet, basename="task")
router.register("playbooks", PlaybookViewSet, basename="playbook")

# Singletons under their account: no list, no id of their own.
account_pin = AccountPinViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"})
account_plan = AccountPlanViewSet.as_view({"get": "retrieve", "put": "update"})
# One object, not a list.
dashboard = DashboardViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    path("accounts/<int:account_pk>/pin/", account_pin, name="account-pin"),
    path("accounts/<int:account_pk>/plan/", account_plan, name="account-plan"),
    path("dashboard/", dashboard, name="dashboard"),
    *router.urls,
]
