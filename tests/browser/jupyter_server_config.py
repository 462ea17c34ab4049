# JupyterLab for the browser tests: JupyterLab's own Galata test configuration (no token, app exposed as
# window.jupyterapp), bound to 127.0.0.1. The port and root directory come from the command line.
from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821  (c is the config object Jupyter passes in)
c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821  (CI containers run as root)
c.LabApp.news_url = None  # noqa: F821
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"  # noqa: F821
