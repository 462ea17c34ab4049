# JupyterLab for the browser tests: JupyterLab's own Galata test configuration (app exposed as
# window.jupyterapp), bound to 127.0.0.1, with its security switched back on: Galata's configuration turns
# off the token and the XSRF check and leaves terminals on. Here the server takes a random token from
# lab.serve_lab (environment variable CE_TEACH_LAB_TOKEN; without it, a random one nobody knows), checks
# XSRF, and has no terminals. The port and root directory come from the command line.
import os
import secrets

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821  (c is the config object Jupyter passes in)
c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821  (CI containers run as root)
c.IdentityProvider.token = os.environ.get("CE_TEACH_LAB_TOKEN") or secrets.token_hex(32)  # noqa: F821
c.ServerApp.disable_check_xsrf = False  # noqa: F821
c.ServerApp.terminals_enabled = False  # noqa: F821
c.LabApp.news_url = None  # noqa: F821
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"  # noqa: F821
