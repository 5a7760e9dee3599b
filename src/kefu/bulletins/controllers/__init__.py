"""Bulletin routes: the staff pages (drafts, publishing, sign-ups) and the estate's public page."""

from __future__ import annotations

from kefu.bulletins.controllers.public import PublicBulletinsController
from kefu.bulletins.controllers.staff import BulletinController

routes: list = [BulletinController, PublicBulletinsController]
