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

# Buttons on a posted result
EDIT_ANSWERS: Final = f"{PREFIX}.edit_answers"
NEW_ASSESSMENT: Final = f"{PREFIX}.new_assessment"
VOTE_AGREE: Final = f"{PREFIX}.vote_agree"
VOTE_DISAGREE: Final = f"{PREFIX}.vote_disagree"
RECORD_DECISION: Final = f"{PREFIX}.record_decision"
EXPORT_RECORD: Final = f"{PREFIX}.export_record"
RESULT_ACTIONS_BLOCK: Final = f"{PREFIX}.result_actions"

# The decision modal
DECISION_CALLBACK: Final = f"{PREFIX}.decision"
DECISION_APPROACH_BLOCK: Final = "decision_approach"
DECISION_RATIONALE_BLOCK: Final = "decision_rationale"

# App Home
HOME_NEW_ASSESSMENT: Final = f"{PREFIX}.home_new"
HOME_RESUME: Final = f"{PREFIX}.home_resume"

COMMAND: Final = "/llm-approach"
