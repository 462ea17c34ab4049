"""ipympl's canvas, imported without switching the notebook's backend, and sending its pictures faster.

Importing ipympl switches matplotlib's global backend to ipympl's (``ipympl/__init__.py`` calls
``matplotlib.use``), which would turn every later static figure into a widget; the previous backend
is put back, so static figures stay inline PNGs. In a kernel, the switch also drops the inline backend's
hook that sends each cell's figures, so that is put back too (else a later ``plt.show()`` shows only
``<Figure ...>``; tests/test_inline_figures.py). Only ``live_figure`` imports this module.
"""

from __future__ import annotations

import zlib
from io import BytesIO

import matplotlib
import numpy as np
from PIL import Image

_previous = matplotlib.get_backend()
from ipympl.backend_nbagg import Canvas, FigureManager  # noqa: E402

if matplotlib.get_backend() != _previous:
    matplotlib.use(_previous)


def _restore_inline_figures() -> None:
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import configure_inline_support
    except ImportError:  # not in IPython: no hook to restore
        return
    shell = get_ipython()
    if shell is not None and "inline" in _previous:
        configure_inline_support(shell, _previous)


_restore_inline_figures()

__all__ = ["FigureManager", "LiveCanvas"]


class LiveCanvas(Canvas):
    """ipympl's canvas, with a faster PNG for each new picture.

    At every redraw matplotlib's web canvas sends the pixels that changed as a PNG (the rest transparent).
    Its PNG uses zlib's default effort, which costs about as much as blitting the figure; run-length
    coding at level 1 is 2 to 3 times faster and, on these mostly-empty pictures, no larger. Everything
    else is matplotlib's ``FigureCanvasWebAggCore.get_diff_image`` (3.11), and a test checks that the
    browser gets the same pixels either way.
    """

    def get_diff_image(self):
        if not self._png_is_old:
            return None
        pixels = np.asarray(self.get_renderer().buffer_rgba())
        buff = pixels.view(np.uint32).squeeze(2)  # one uint32 per pixel: compared in one go
        if self._force_full or buff.shape != self._last_buff.shape or (pixels[:, :, 3] != 255).any():
            self.set_image_mode("full")  # a new size, or transparency: the whole picture
            output = buff
        else:
            self.set_image_mode("diff")  # the browser draws this over what it shows
            output = np.where(buff != self._last_buff, buff, 0)
        self._last_buff = buff.copy()
        self._force_full = False
        self._png_is_old = False
        data = output.view(dtype=np.uint8).reshape((*output.shape, 4))
        with BytesIO() as png:
            Image.fromarray(data).save(png, format="png", compress_level=1, compress_type=zlib.Z_RLE)
            return png.getvalue()
