"""The shipped lesson loads, is exactly what make_lesson_examples.py builds, and each slide holds
what its title promises (the UI side, each slide opening in the window, is
tests/ui/test_lesson_course.py)."""

from __future__ import annotations

from make_lesson_examples import COURSE, FOLDER, course

from calcgui.state import LESSON_SUFFIX, lesson_file

COURSE_PATH = FOLDER / (COURSE + LESSON_SUFFIX)


def test_the_shipped_lesson_is_what_the_script_builds() -> None:
    assert sorted(p.name for p in FOLDER.iterdir()) == [COURSE_PATH.name]
    assert lesson_file.load(COURSE_PATH) == course()
    assert COURSE_PATH.read_text(encoding="utf-8") == lesson_file.dumps(course())


def test_the_course_walks_the_issue_s_list_in_order() -> None:
    slides = course().slides
    assert len(slides) >= 10
    assert all(slide.note for slide in slides)  # every slide says something to students
    first, rules, secant, gradient, directional, *descent = slides
    assert (first.scene.pane, first.scene.derivative.function, first.scene.derivative.tab) == (
        "derivative", "2x^2 + 3x + 1", "limit")
    assert (rules.scene.pane, rules.scene.derivative.function, rules.scene.derivative.tab) == (
        "derivative", "(2x + 3)^2", "rules")
    assert secant.scene.pane == "tangent" and secant.arrival is not None and secant.arrival.play
    for slide in (gradient, directional):
        assert (slide.scene.pane, slide.scene.gradient.function, slide.scene.gradient.point) == (
            "gradient", "3x^2 + 2y", (1.0, 2.0))
    assert directional.scene.gradient.angle_degrees != gradient.scene.gradient.angle_degrees


def test_the_descent_slides_have_the_learning_rates_their_titles_name() -> None:
    by_title = {slide.title: slide for slide in course().slides}
    for title, lr, until in (("Gradient descent in 1D: x² from x = 10, lr 0.1", 0.1, 30),
                             ("Learning rate too small: lr 0.01", 0.01, 100),
                             ("Learning rate too large: lr 1.05", 1.05, 30)):
        slide = by_title[title]
        race = slide.scene.descent.one_d
        assert (slide.scene.pane, slide.scene.descent.mode, race.function, race.start) == (
            "descent", "1d", "x^2", (10.0,))
        assert (race.enabled, race.optimizers["gd"].lr, race.step) == (("gd",), lr, 0)
        assert slide.arrival is not None and slide.arrival.until_step == until
    race_slide = by_title["Optimizers racing on Rosenbrock"]
    race = race_slide.scene.descent.two_d
    assert (race.surface, race.start, race.clipping) == ("rosenbrock", (-1.5, 2.0), "none")
    assert len(race.enabled) >= 3 and race_slide.arrival is not None and race_slide.arrival.until_step == 500
    unclipped = by_title["A step too large: without clipping the run blows up"].scene.descent.two_d
    clipped = by_title["Gradient clipping saves the run"].scene.descent.two_d
    assert unclipped.clipping == "none" and (clipped.clipping, clipped.clip_value) == ("norm", 10.0)
    assert unclipped.optimizers == clipped.optimizers  # only the clipping differs
