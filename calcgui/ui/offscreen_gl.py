"""A pyqtgraph 3D view drawn into an off-screen framebuffer and shown as an image.

Why not pyqtgraph's own ``GLViewWidget`` (a ``QOpenGLWidget``): one OpenGL widget anywhere in
a window makes Qt compose the *whole* window through OpenGL on every repaint. Under Mesa's
software renderer (llvmpipe: virtual machines, remote desktops, CI) that cost 12-14 ms a
frame even when only a label changed: dragging P on the Gradient pane's map took 36 ms a
move, a third of it composing. Drawn here into its own framebuffer, the 3D view costs its
own rendering and one read-back when it changes, and the window stays an ordinary raster
window for everything else.

The camera, mouse and keyboard handling, and the items are pyqtgraph's (``GLViewMixin``);
this class supplies the context, the framebuffer and the painting.
"""

from __future__ import annotations

from OpenGL import GL
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage, QOffscreenSurface, QOpenGLContext, QPainter, QPaintEvent, QResizeEvent, QVector3D
from PySide6.QtOpenGL import QOpenGLFramebufferObject, QOpenGLPaintDevice
from PySide6.QtWidgets import QWidget
from pyqtgraph.opengl.GLViewWidget import GLViewMixin
from pyqtgraph.opengl.items.GLTextItem import GLTextItem


_shared: tuple[QOpenGLContext, QOffscreenSurface] | None = None


def shared_context() -> tuple[QOpenGLContext, QOffscreenSurface]:
    """The one context (and off-screen surface) every 3D view renders with, made on first use
    and owned by the application. One, because pyqtgraph compiles each item type's shaders
    once per process: a second, unshared context (the Descent pane's view after the
    Gradient pane's) drew nothing but GL errors with programs from the first."""
    global _shared
    if _shared is None:
        app = QCoreApplication.instance()
        context = QOpenGLContext(app)
        if not context.create():
            raise RuntimeError("no OpenGL context could be created")
        surface = QOffscreenSurface(None, app)
        surface.setFormat(context.format())
        surface.create()
        _shared = context, surface
    return _shared


class OffscreenGLView(GLViewMixin, QWidget):
    """A 3D view (pyqtgraph's API: ``addItem``, ``setCameraPosition``, ``orbit`` ...) that
    renders when its scene changes and paints the result as an image."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._context, self._surface = shared_context()
        self._fbo: QOpenGLFramebufferObject | None = None
        self._image = QImage()
        self._stale = True
        self._initialized = False
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # the image covers every pixel

    # -- what pyqtgraph's items and mixin expect of a QOpenGLWidget ---------------------------
    def context(self) -> QOpenGLContext:
        return self._context

    def isValid(self) -> bool:  # noqa: N802 (Qt's name)
        return self._initialized

    def makeCurrent(self) -> bool:  # noqa: N802
        """Make the context current with the framebuffer bound, sized to the widget; False
        (nothing bound) when the driver refuses, say after a GPU reset."""
        if not self._context.makeCurrent(self._surface):
            return False
        width, height = max(1, self.deviceWidth()), max(1, self.deviceHeight())
        if self._fbo is None or self._fbo.width() != width or self._fbo.height() != height:
            self._fbo = QOpenGLFramebufferObject(width, height,
                                                 QOpenGLFramebufferObject.Attachment.CombinedDepthStencil)
        self._fbo.bind()
        if not self._initialized:
            self._initialized = True
            self.initializeGL()
        return True

    def doneCurrent(self) -> None:  # noqa: N802
        self._context.doneCurrent()

    def paint_device(self) -> QOpenGLPaintDevice:
        """A device for a QPainter drawing into the framebuffer (3D text labels)."""
        device = QOpenGLPaintDevice(self.deviceWidth(), self.deviceHeight())
        device.setDevicePixelRatio(self.devicePixelRatioF())
        return device

    def update(self, *args: object) -> None:  # type: ignore[override]
        """The scene changed: render it again at the next paint."""
        self._stale = True
        super().update(*args)

    def grabFramebuffer(self) -> QImage:  # noqa: N802
        """The view as it looks now (for exports and screenshots)."""
        if self._out_of_date():
            self._render()
        return self._image.copy()

    # -- rendering ----------------------------------------------------------------------------
    def _render(self) -> None:
        """Draw the scene into the framebuffer and read it back (the read-back waits for the
        renderer, so the frame is complete when this returns). Without a current context the
        last frame stays."""
        try:
            if not self.makeCurrent():
                return
            fbo = self._fbo
            assert fbo is not None
            GL.glViewport(0, 0, fbo.width(), fbo.height())
            self.paintGL()
            self._image = fbo.toImage()
            self._image.setDevicePixelRatio(self.devicePixelRatioF())
            self._stale = False
        finally:
            if self._fbo is not None:
                self._fbo.release()
            self.doneCurrent()

    def _out_of_date(self) -> bool:
        """The scene changed, or the widget's size in device pixels did (a resize, or a move
        to a screen with another pixel ratio)."""
        size = (max(1, self.deviceWidth()), max(1, self.deviceHeight()))
        return self._stale or self._image.isNull() or (self._image.width(), self._image.height()) != size

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._stale = True
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self._out_of_date():
            self._render()
        painter = QPainter(self)
        painter.drawImage(self.rect(), self._image)
        painter.end()


class OffscreenTextItem(GLTextItem):
    """pyqtgraph's 3D text label, drawn into an :class:`OffscreenGLView`'s framebuffer (the
    stock item paints on the widget itself, which here is not where the frame is drawn)."""

    def paint(self) -> None:
        if not self.text:
            return
        self.setupGLState()
        view = self.view()
        text_pos = self.align_text(self.compute_projection().map(QVector3D(*self.pos)).toPointF())
        device = view.paint_device()  # kept alive until the painter ends
        painter = QPainter(device)
        painter.setPen(self.color)
        painter.setFont(self.font)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        painter.drawText(text_pos, self.text)
        painter.end()
