"""Notification routes: the outbox's staff pages and the notice templates' pages."""

from __future__ import annotations

from kefu.notifications.controllers.outbox import OutboxController
from kefu.notifications.controllers.settings import DeliverySettingsController
from kefu.notifications.controllers.templates import NoticeTemplateController

routes = [OutboxController, NoticeTemplateController, DeliverySettingsController]
