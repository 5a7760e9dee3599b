"""Duties routes: my duties and a task (tasks), the manager's board and its XLSX (board), the
positions with their duty sets, assignments and training (people), meetings and their action
items (meetings)."""

from __future__ import annotations

from kefu.duties.controllers.board import BoardController
from kefu.duties.controllers.config import ConfigController
from kefu.duties.controllers.meetings import MeetingController
from kefu.duties.controllers.people import PeopleController
from kefu.duties.controllers.scorecards import ScorecardController
from kefu.duties.controllers.tasks import TaskController
from kefu.duties.controllers.training import TrainingController

routes: list = [TaskController, BoardController, PeopleController, MeetingController, ScorecardController,
                TrainingController, ConfigController]
