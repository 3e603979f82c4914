"""The data migration gives every database the cluster's reference data."""

import pytest
from django.db.models import Count, Sum

from filiere.community.models import Commune, Profession, Sector, Territory, TerritoryKind

pytestmark = pytest.mark.django_db


def test_data_migration_loads_177_communes_over_the_three_epci():
    assert Commune.objects.count() == 177
    epci = (
        Territory.objects.filter(kind=TerritoryKind.EPCI)
        .annotate(n=Count("communes"), population=Sum("communes__population"))
        .order_by("sort_order")
    )
    assert [(t.code, t.siren, t.n, t.population) for t in epci] == [
        ("mel", "200093201", 95, 1_204_796),
        ("valenciennes", "245901160", 35, 193_676),
        ("porte-du-hainaut", "200042190", 47, 159_703),
    ]


def test_commune_identifiers_are_strings_with_their_leading_digits():
    tourcoing = Commune.objects.get(insee_code="59599")
    assert tourcoing.name == "Tourcoing"
    assert tourcoing.territory.code == "mel"
    assert len(tourcoing.siren) == 9


def test_partner_territories_exist_besides_the_epci():
    codes = set(Territory.objects.exclude(kind=TerritoryKind.EPCI).values_list("code", flat=True))
    assert codes == {"wallonia", "flanders", "brussels", "france", "other"}


def test_five_sectors_with_three_labels():
    assert list(Sector.objects.values_list("slug", flat=True)) == [
        "cinema",
        "audiovisual",
        "animation",
        "video-games",
        "immersive",
    ]
    assert not Sector.objects.filter(label_nl="").exists()


def test_professions_have_labels_in_three_languages_and_rome_codes_where_known():
    assert Profession.objects.count() >= 40
    assert not Profession.objects.filter(label_fr="").exists()
    assert not Profession.objects.filter(label_en="").exists()
    assert not Profession.objects.filter(label_nl="").exists()
    assert Profession.objects.get(slug="producer").rome_code == "L1302"
    assert Profession.objects.get(slug="animator-3d").rome_code == "L1510"
    assert Profession.objects.get(slug="gameplay-programmer").rome_code == "M1805"


def test_reference_labels_follow_the_active_language():
    from django.utils import translation

    animation_studio = Sector.objects.get(slug="video-games")
    with translation.override("fr"):
        assert animation_studio.label == "Jeu vidéo"
    with translation.override("nl"):
        assert str(animation_studio) == "Games"
