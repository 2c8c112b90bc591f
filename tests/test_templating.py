"""Shared Jinja environments: one per search path, yet never serving a stale or shadowed template."""

from __future__ import annotations

import os
import time

from briefing.templating import make_environment, render_template


def test_environments_are_shared_but_follow_edits_and_new_overrides(tmp_path):
    user, builtin = tmp_path / "user", tmp_path / "builtin"
    user.mkdir()
    builtin.mkdir()
    (builtin / "x.j2").write_text("built-in")
    env = make_environment([user, builtin], autoescape=False)
    assert make_environment([user, builtin], autoescape=False) is env
    assert make_environment([user, builtin], autoescape=True) is not env
    assert render_template(env, "x.j2", {}) == "built-in"

    (user / "x.j2").write_text("user copy")  # an earlier folder gains the name
    assert render_template(env, "x.j2", {}) == "user copy"

    (user / "x.j2").write_text("user copy, edited")
    later = time.time() + 5
    os.utime(user / "x.j2", (later, later))
    assert render_template(env, "x.j2", {}) == "user copy, edited"

    (user / "x.j2").unlink()  # and loses it again
    assert render_template(env, "x.j2", {}) == "built-in"
