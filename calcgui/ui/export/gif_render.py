"""Rendering an animation to a GIF file without freezing the window.

The UI thread renders one frame per turn of the event loop (a 0 ms timer): it puts the frame
on screen, draws the view into an image and hands the pixels over. A thread quantises and
LZW-encodes them (:mod:`calcgui.core.gif`, pure Python: it holds the GIL, but gives it back
every few milliseconds, so the UI thread keeps painting and answering). When the encoder
falls behind, the renderer waits for it rather than piling up frames in memory. The file is
written beside the target and renamed at the end: a cancelled or failed export leaves
nothing.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PySide6.QtCore import QObject, QPoint, QSize, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QRegion
from PySide6.QtWidgets import QWidget

from calcgui.core.gif import GifWriter
from calcgui.ui.export.animations import Animation
from calcgui.ui.export.files import ExportError, write_with

#: Frames rendered but not yet encoded, at most; beyond, the renderer waits for the encoder.
MAX_QUEUED = 6
#: How long the renderer waits before looking again whether the encoder has caught up.
WAIT_MS = 15


@dataclass(frozen=True)
class GifOptions:
    """What the user chose: the frame size (None: the view's own), rate and count."""

    size: tuple[int, int] | None
    fps: int
    frames: int

    @property
    def seconds(self) -> float:
        return self.frames / self.fps


class _Cancelled(Exception):
    pass


def render_view(widget: QWidget, size: tuple[int, int] | None = None) -> QImage:
    """``widget`` drawn into an image of ``size``: scaled as a whole (text and lines drawn at
    that scale, not enlarged pixels) and centred, with the window colour around it when the
    shapes differ. ``None``: the widget's own size."""
    if size is None or size == (widget.width(), widget.height()):
        return widget.grab().toImage()
    width, height = size
    scale = min(width / max(widget.width(), 1), height / max(widget.height(), 1))
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(widget.palette().window().color())
    painter = QPainter(image)
    painter.translate((width - scale * widget.width()) / 2, (height - scale * widget.height()) / 2)
    painter.scale(scale, scale)
    # QWidget's render, not QGraphicsView's (which draws only the scene, into a rectangle)
    QWidget.render(widget, painter, QPoint(0, 0), QRegion(), QWidget.RenderFlag.DrawWindowBackground
                   | QWidget.RenderFlag.DrawChildren)
    painter.end()
    return image


def rgb_pixels(image: QImage) -> np.ndarray:
    """An (height, width, 3) uint8 copy of ``image``'s pixels."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    return rows[:, : 3 * width].reshape(height, width, 3).copy()


class GifRender(QObject):
    """Renders ``animation`` into ``path`` as :meth:`start`-ed; ``finished`` says how it
    ended: (True, "") when the file is written, (False, "") when cancelled, (False, message)
    when it failed. ``progressed`` carries (frames rendered, frames encoded, frames)."""

    progressed = Signal(int, int, int)
    finished = Signal(bool, str)
    _encoded = Signal(int)  #: from the encoding thread
    _ended = Signal(str)  #: from the encoding thread: "" or why it failed

    def __init__(self, animation: Animation, path: Path, options: GifOptions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.animation, self.path, self.options = animation, Path(path), options
        self.rendered = self.encoded = 0
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self._cancelled = threading.Event()
        self._thread: threading.Thread | None = None
        self._restored = False
        self._done = False
        self._error = ""
        self._size: tuple[int, int] = (0, 0)
        self._limits = (QSize(), QSize())
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._render_next)
        self._encoded.connect(self._on_encoded)
        self._ended.connect(self._on_ended)

    def start(self) -> None:
        view = self.animation.view
        # the view keeps its size while the frames are drawn: a legend growing beside it
        # must not change the GIF's picture (nor its size) halfway
        self._limits = (view.minimumSize(), view.maximumSize())
        self._size = self.options.size or (view.width(), view.height())
        view.setFixedSize(view.size())
        self.animation.begin(self.options.frames, self.options.seconds)
        self._timer.start(0)

    def cancel(self) -> None:
        """Stop rendering; the encoder stops at its next frame and removes its file."""
        if self._done:
            return
        self._cancelled.set()
        self._timer.stop()
        self._restore()
        self._queue.put(None)
        if self._thread is None:  # nothing was written yet
            self._finish(False, self._error)

    def is_running(self) -> bool:
        return not self._done

    # -- the UI thread ----------------------------------------------------------------------
    def _render_next(self) -> None:
        if self._cancelled.is_set():
            return
        if self._queue.qsize() >= MAX_QUEUED:
            self._timer.start(WAIT_MS)
            return
        index = self.rendered
        try:
            self.animation.show(index)
            pixels = rgb_pixels(render_view(self.animation.view, self._size))
        except Exception as error:  # a frame that cannot be drawn ends the export, not the app
            self._error = f"frame {index + 1} could not be drawn: {error}"
            self.cancel()
            return
        if self._thread is None:
            height, width = pixels.shape[:2]
            self._thread = threading.Thread(target=self._encode_all, args=(width, height), name="gif-encoder",
                                            daemon=True)
            self._thread.start()
        self._queue.put(pixels)
        self.rendered += 1
        self.progressed.emit(self.rendered, self.encoded, self.options.frames)
        if self.rendered < self.options.frames:
            self._timer.start(0)
        else:
            self._queue.put(None)
            self._restore()

    def _restore(self) -> None:
        if not self._restored and self._size != (0, 0):  # started, not yet restored
            self._restored = True
            view = self.animation.view
            view.setMinimumSize(self._limits[0])
            view.setMaximumSize(self._limits[1])
            self.animation.end()

    def _on_encoded(self, count: int) -> None:
        self.encoded = count
        self.progressed.emit(self.rendered, self.encoded, self.options.frames)

    def _on_ended(self, error: str) -> None:
        self._thread = None
        if self._cancelled.is_set():
            self._finish(False, self._error)
        else:
            self._finish(not error, error)

    def _finish(self, ok: bool, message: str) -> None:
        if not self._done:
            self._done = True
            self.finished.emit(ok, message)

    # -- the encoding thread ------------------------------------------------------------------
    def _encode_all(self, width: int, height: int) -> None:
        error = ""
        try:
            write_with(self.path, lambda stream: self._encode(stream, width, height))
        except _Cancelled:
            pass
        except ExportError as failure:
            error = str(failure)
        except Exception as failure:  # the thread must always report back
            error = f"the GIF could not be encoded: {failure}"
        try:
            self._ended.emit(error)
        except RuntimeError:  # the window was closed meanwhile: nobody is waiting
            pass

    def _encode(self, stream: BinaryIO, width: int, height: int) -> None:
        writer = GifWriter(stream, width, height, self.options.fps)
        while True:
            frame = self._queue.get()
            if self._cancelled.is_set():
                raise _Cancelled
            if frame is None:
                break
            writer.add_frame(frame)
            self._encoded.emit(writer.frames)
        writer.close()
