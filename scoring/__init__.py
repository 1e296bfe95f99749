"""The decision core: the questionnaire, the rules and the engine. Pure: no Slack, no Redis, no network."""

from scoring.engine import Engine, assess, engine_for
from scoring.models import Answers, Approach, Assessment, InvalidAnswers

__all__ = ["Answers", "Approach", "Assessment", "Engine", "InvalidAnswers", "assess", "engine_for"]
