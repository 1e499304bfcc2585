"""Saving is atomic: the file is the old one or the new one, and a failure says why, leaves the
old file's bytes as they were and no temporary file behind."""

from __future__ import annotations

import dataclasses
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from calcgui.state import Scene, SceneError, TangentSettings, dumps, load, save, scene_file

NAME = "lecture.calcgui"
OLD = Scene(pane="tangent")
NEW = Scene(pane="tangent", tangent=TangentSettings(x0=-2.0))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder, the current one, holding an old lecture.calcgui."""
    monkeypatch.chdir(tmp_path)
    save(OLD, NAME)
    return tmp_path


def listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_save_writes_what_dumps_writes_and_leaves_only_the_file(folder: Path) -> None:
    save(NEW, NAME)
    assert (folder / NAME).read_text(encoding="utf-8") == dumps(NEW)
    assert load(NAME) == NEW
    assert listing(folder) == [NAME]


def test_a_new_file_is_readable_by_others_and_an_old_one_keeps_its_permissions(folder: Path) -> None:
    assert stat.S_IMODE(os.stat(NAME).st_mode) == 0o644
    os.chmod(NAME, 0o600)
    save(NEW, NAME)
    assert stat.S_IMODE(os.stat(NAME).st_mode) == 0o600


def test_saving_through_a_link_replaces_the_file_it_points_to(folder: Path) -> None:
    os.symlink(NAME, "link.calcgui")
    save(NEW, "link.calcgui")
    assert os.path.islink("link.calcgui") and load(NAME) == NEW


def fail_with(code: int) -> Callable[..., Any]:
    def fail(*_args: object, **_kwargs: object) -> Any:
        raise OSError(code, os.strerror(code))
    return fail


def failing_write(code: int) -> Callable[..., Any]:
    """A NamedTemporaryFile whose write fails (the disk fills up while writing)."""
    real = tempfile.NamedTemporaryFile

    def make(*args: Any, **kwargs: Any) -> Any:
        file = real(*args, **kwargs)
        file.write = fail_with(code)
        return file
    return make


@pytest.mark.parametrize(("where", "patch", "reason"), [
    (os, ("replace", fail_with(errno.ENOSPC)), "the disk is full"),
    (os, ("replace", fail_with(errno.EACCES)), "permission denied"),
    (os, ("fsync", fail_with(errno.EIO)), "input/output error"),
    (os, ("chmod", fail_with(errno.EPERM)), "permission denied"),
    (tempfile, ("NamedTemporaryFile", failing_write(errno.ENOSPC)), "the disk is full"),
    (tempfile, ("NamedTemporaryFile", fail_with(errno.EACCES)), "permission denied"),  # a read-only folder
    (tempfile, ("NamedTemporaryFile", fail_with(errno.EROFS)), "the disk is read-only"),
])
def test_a_failed_save_keeps_the_old_file_and_says_why(folder: Path, monkeypatch: pytest.MonkeyPatch, where: Any,
                                                       patch: tuple[str, Callable[..., Any]], reason: str) -> None:
    before = (folder / NAME).read_bytes()
    monkeypatch.setattr(where, *patch)
    with pytest.raises(SceneError) as caught:
        save(NEW, NAME)
    monkeypatch.undo()
    assert str(caught.value) == f"could not save {NAME}: {reason}"
    assert (folder / NAME).read_bytes() == before
    assert listing(folder) == [NAME]


def test_saving_into_a_missing_folder_says_so(folder: Path) -> None:
    with pytest.raises(SceneError, match=r"^could not save nowhere/lecture\.calcgui: the folder does not exist$"):
        save(NEW, Path("nowhere") / NAME)
    assert listing(folder) == [NAME]


def test_saving_over_a_folder_fails_cleanly(folder: Path) -> None:
    (folder / "slides.calcgui").mkdir()
    with pytest.raises(SceneError, match=r"^could not save slides\.calcgui: "):
        save(NEW, "slides.calcgui")
    assert listing(folder) == [NAME, "slides.calcgui"] and listing(folder / "slides.calcgui") == []


def test_a_name_no_system_accepts_is_refused(folder: Path) -> None:
    with pytest.raises(SceneError, match=r"^could not save 'a\\x00b\.calcgui': the file name is not valid$"):
        save(NEW, "a\x00b.calcgui")
    assert listing(folder) == [NAME]


def test_a_scene_that_could_not_be_opened_again_is_not_saved(folder: Path) -> None:
    before = (folder / NAME).read_bytes()
    broken = dataclasses.replace(NEW, tangent=TangentSettings(function="2x^"))
    with pytest.raises(SceneError, match=r"^could not save lecture\.calcgui: tangent\.function: does not parse"):
        save(broken, NAME)
    assert (folder / NAME).read_bytes() == before and listing(folder) == [NAME]


def test_the_folder_is_synced_after_the_rename(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    save(NEW, NAME)
    assert len(synced) == 2  # the temporary file's data, then the folder's entry
    assert scene_file.load(NAME) == NEW
