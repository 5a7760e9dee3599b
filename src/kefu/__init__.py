"""kefu — customer-service desks for insurers and property-management centres."""

import os

# Piccolo finds its engine and apps through this module (and so do its own CLI commands).
os.environ.setdefault("PICCOLO_CONF", "kefu.piccolo_conf")
