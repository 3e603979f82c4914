"""Which budget template a project fills in, by its genre."""

import pytest

from filiere.engine.budget import GAME_CHAPTERS, TEMPLATES, template_for_genre


@pytest.mark.parametrize("genre", ["serious-game", "video-game"])
def test_games_use_the_games_template(genre):
    assert template_for_genre(genre) == "games"
    assert TEMPLATES[template_for_genre(genre)] == GAME_CHAPTERS


@pytest.mark.parametrize("genre", ["fiction", "documentary", "animation", "", None])
def test_every_other_genre_and_none_yet_use_the_audiovisual_chapters(genre):
    assert template_for_genre(genre) == "audiovisual"


def test_every_template_chosen_exists():
    assert {template_for_genre(g) for g in ("video-game", "fiction")} <= set(TEMPLATES)
