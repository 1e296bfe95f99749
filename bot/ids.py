"""Every callback, action and block id the app sends to Slack, in one place.

Question inputs use the question id itself as block_id (see the README's questionnaire reference), with ANSWER
as action_id.
"""

from typing import Final

PREFIX: Final = "llm_approach"

# The questionnaire modal
QUESTIONNAIRE_CALLBACK: Final = f"{PREFIX}.questionnaire"
ANSWER: Final = "answer"
BACK: Final = f"{PREFIX}.back"
START_OVER: Final = f"{PREFIX}.start_over"
NAVIGATION_BLOCK: Final = f"{PREFIX}.navigation"
RESUME_BLOCK: Final = f"{PREFIX}.resume"
# Where a result started outside a channel (App Home, a DM) is posted: a conversations_select input.
POST_CHANNEL_BLOCK: Final = "post_channel"

# On a posted result: votes and the decision as buttons (Record becomes Change once decided), the rest in a
# ⋯ menu whose option values are "<MENU_…>:<assessment id>".
VOTE_AGREE: Final = f"{PREFIX}.vote_agree"
VOTE_DISAGREE: Final = f"{PREFIX}.vote_disagree"
RECORD_DECISION: Final = f"{PREFIX}.record_decision"
RESULT_MENU: Final = f"{PREFIX}.result_menu"
MENU_EDIT: Final = "edit"
MENU_EXPORT: Final = "export"
MENU_ASK_TEAM: Final = "ask_team"
RESULT_ACTIONS_BLOCK: Final = f"{PREFIX}.result_actions"
# Buttons that results posted before the ⋯ menu still carry: their actions keep working.
EDIT_ANSWERS: Final = f"{PREFIX}.edit_answers"
NEW_ASSESSMENT: Final = f"{PREFIX}.new_assessment"
EXPORT_RECORD: Final = f"{PREFIX}.export_record"

# The decision modal
DECISION_CALLBACK: Final = f"{PREFIX}.decision"
DECISION_APPROACH_BLOCK: Final = "decision_approach"
DECISION_RATIONALE_BLOCK: Final = "decision_rationale"
DECISION_REVIEW_BLOCK: Final = "decision_review"
# The decision form's review choice: a number of weeks, or this for none.
NO_REVIEW: Final = "none"

# The review message Slack posts in the result's thread (chat.scheduleMessage): one button per outcome, each
# with the value "<assessment id>:<decision number>"; each opens the outcome form.
REVIEW_MET: Final = f"{PREFIX}.review_met"
REVIEW_PARTLY: Final = f"{PREFIX}.review_partly"
REVIEW_MISSED: Final = f"{PREFIX}.review_missed"
REVIEW_CHANGED: Final = f"{PREFIX}.review_changed"
REVIEW_ACTIONS_BLOCK: Final = f"{PREFIX}.review_actions"

# The outcome form
OUTCOME_CALLBACK: Final = f"{PREFIX}.outcome"
OUTCOME_RESULT_BLOCK: Final = "outcome_result"
OUTCOME_CHANGED_TO_BLOCK: Final = "outcome_changed_to"
OUTCOME_MEASURED_BLOCK: Final = "outcome_measured"
OUTCOME_SCORE_BLOCK: Final = "outcome_score"
OUTCOME_LEARNED_BLOCK: Final = "outcome_learned"

# Team rounds: "Ask the team" (⋯ menu) opens the start form; the round's thread message carries Add my
# answers and Close round, whose values are "<assessment id>:<round number>".
ROUND_START_CALLBACK: Final = f"{PREFIX}.round_start"
ROUND_NAMES_BLOCK: Final = "round_names"
ROUND_ANSWER: Final = f"{PREFIX}.round_answer"
ROUND_CLOSE: Final = f"{PREFIX}.round_close"
ROUND_ACTIONS_BLOCK: Final = f"{PREFIX}.round_actions"
ROUND_SHOW_NAMES: Final = "names"
ROUND_HIDE_NAMES: Final = "counts"

# App Home
HOME_NEW_ASSESSMENT: Final = f"{PREFIX}.home_new"
HOME_RESUME: Final = f"{PREFIX}.home_resume"
HOME_ACTIONS_BLOCK: Final = f"{PREFIX}.home_actions"

# `/llm-approach forget` asks first: these buttons are on its ephemeral question.
FORGET_CONFIRM: Final = f"{PREFIX}.forget_confirm"
FORGET_CANCEL: Final = f"{PREFIX}.forget_cancel"
FORGET_BLOCK: Final = f"{PREFIX}.forget"

COMMAND: Final = "/llm-approach"
