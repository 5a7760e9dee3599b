"""The surveys module's words for its codes, one `kefu.core.labels.Labels` per code family: the
pages, the exports and the report read these, so no code is ever shown raw."""

from __future__ import annotations

from kefu import i18n
from kefu.core.labels import Labels, declare_audit

ROUND_STATUS = Labels({"scheduled": i18n.lazy("Scheduled"), "open": i18n.lazy("Running"),
                       "closed": i18n.lazy("Ended")})
INVITATION_STATE = Labels({"invited": i18n.lazy("Not answered"), "answered": i18n.lazy("Has answered")})
# The same states as the customer's page words them (about the customer, not a round's list).
CUSTOMER_INVITATION_STATE = Labels({"invited": i18n.lazy("Not answered yet"), "answered": i18n.lazy("Survey answered")})
CHANNEL = Labels({"sms": i18n.lazy("SMS"), "email": i18n.lazy("Email"), "letter": i18n.lazy("Letter (no notice)"),
                  "none": i18n.lazy("No message (poster only)")})
AUDIENCE = Labels({"all": i18n.lazy("All customers"), "buildings": i18n.lazy("Chosen buildings"),
                   "units": i18n.lazy("Residents of units in chosen buildings"),
                   "segment": i18n.lazy("A segment"), "list": i18n.lazy("An uploaded list"),
                   "none": i18n.lazy("Nobody by name (open link only)")})

# Why a response does not count (policy.answers.INVALID_REASONS).
INVALID_REASON = Labels({
    "missing_required": i18n.lazy("Required questions left unanswered"),
    "too_fast": i18n.lazy("Completed faster than the minimum time"),
    "straight_lining": i18n.lazy("The same score for every rating"),
    "duplicate_customer": i18n.lazy("This customer had already answered"),
    "duplicate_household": i18n.lazy("This household had already answered"),
})
UNKNOWN_REASON = i18n.lazy("Unknown reason")

# The editor's names of question types and of the one-answer-per rule.
EDITOR_TYPE = Labels({
    "single": i18n.lazy("Single choice"),
    "multiple": i18n.lazy("Multiple choice"),
    "rating": i18n.lazy("Rating 1–5"),
    "nps": i18n.lazy("Recommendation 0–10 (NPS)"),
    "text": i18n.lazy("Free text"),
    "matrix": i18n.lazy("Matrix of ratings"),
})
ONE_PER = Labels({
    "none": i18n.lazy("No limit"),
    "customer": i18n.lazy("One per customer"),
    "household": i18n.lazy("One per household"),
})
# The results' names of question types (the readers of a report, not the editor's wording).
RESULT_TYPE = Labels({
    "single": i18n.lazy("Single choice"),
    "multiple": i18n.lazy("Multiple choice"),
    "rating": i18n.lazy("Rating 1–5"),
    "nps": i18n.lazy("Likelihood to recommend 0–10"),
    "text": i18n.lazy("Free text"),
    "matrix": i18n.lazy("Ratings table"),
})

# Names of the services the packs' questions are about (Question.topic).
TOPICS = Labels({
    "overall": i18n.lazy("Overall service"),
    "front_desk": i18n.lazy("Front-desk reception"),
    "fees": i18n.lazy("Fees and billing"),
    "cleaning": i18n.lazy("Cleaning service"),
    "security": i18n.lazy("Security service"),
    "maintenance": i18n.lazy("Repairs and maintenance"),
    "events": i18n.lazy("Community events"),
    "claims": i18n.lazy("Claims service"),
    "policy_service": i18n.lazy("Policy service"),
    "hotline": i18n.lazy("Service hotline"),
    "complaints": i18n.lazy("Complaint handling"),
    "sales": i18n.lazy("Sales conduct"),
})

ACTION_STATUS = Labels({"open": i18n.lazy("Open"), "done": i18n.lazy("Done"), "dropped": i18n.lazy("Dropped")})
ACTION_FILTER = Labels({"open": i18n.lazy("Open"), "overdue": i18n.lazy("Overdue"), "done": i18n.lazy("Done"),
                        "dropped": i18n.lazy("Dropped"), "all": i18n.lazy("All")})
ACTION_EVENT = Labels({
    "surveys.action_created": i18n.lazy("Action recorded"),
    "surveys.action_updated": i18n.lazy("Edited"),
    "surveys.action_done": i18n.lazy("Marked done"),
    "surveys.action_dropped": i18n.lazy("Dropped"),
    "surveys.action_reopened": i18n.lazy("Reopened"),
})
VIA = Labels({"invite": i18n.lazy("Invitation"), "open": i18n.lazy("Open link")})


def topic_label(key: str) -> str:
    """A pack topic's name; a tenant's own topic, which has none here, is shown as written."""
    return TOPICS(key) if key in TOPICS else key


# The audit trail's words for this module's codes (kefu.core.labels.declare_audit).
declare_audit(ACTION_EVENT, {"survey_round": i18n.lazy("Survey round"), "survey_schedule": i18n.lazy("Survey schedule"),
    "survey_template": i18n.lazy("Survey template"), "improvement_action": i18n.lazy("Improvement action"),
    "surveys": i18n.lazy("Survey")})
