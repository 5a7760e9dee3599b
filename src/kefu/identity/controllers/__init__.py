"""The identity module's pages: a tenant's sign-in and its provider settings, the members page
with invitations, and accepting an invitation."""

from kefu.identity.controllers.invitations import AcceptController
from kefu.identity.controllers.members import MembersController
from kefu.identity.controllers.resets import ForgotController, ResetController
from kefu.identity.controllers.settings import SettingsController
from kefu.identity.controllers.signin import IdentitySettingsController, TenantSigninController
from kefu.identity.controllers.tokens import TokensController

routes = [TenantSigninController, IdentitySettingsController, MembersController, AcceptController, SettingsController,
          TokensController, ForgotController, ResetController]
