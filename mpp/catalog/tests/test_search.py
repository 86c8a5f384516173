"""Search finds services whatever variant of a name a citizen types, and never crashes.

Decision: "ktp el" (the variant written apart) finds "Penerbitan KTP-el" like "KTP-el" does,
so "e ktp", "ktp el" and "ktp elektronik" are folded to "ktp" as whole-word phrases.
"""

import pytest

from mpp.catalog import selectors, services
from mpp.catalog.models import LifeEvent
from mpp.catalog.search import index_text, tokens
from mpp.catalog.testing import make_agency, make_category, make_service


@pytest.fixture
def catalog(manager, agency_a, agency_b):
    """Three services of two agencies, created through the service so search_text is real."""
    category = make_category(slug="kependudukan", name="Kependudukan")
    moving = LifeEvent.objects.create(slug="pindah", name="Pindah domisili", name_en="Moving house")
    birth = LifeEvent.objects.create(slug="lahir", name="Kelahiran anak", name_en="Birth")

    def create(agency, slug, name, life_events=(), **extra):
        return services.service_create(
            actor=manager,
            agency=agency,
            slug=slug,
            name=name,
            short_description=f"Layanan {name}",
            category=category,
            channel="both",
            life_events=life_events,
            **extra,
        )

    return {
        "ktp": create(agency_a, "ktp-el", "Penerbitan KTP-el", [moving], synonyms="e-KTP"),
        "akta": create(agency_a, "akta-kelahiran", "Akta Kelahiran", [birth]),
        "skck": create(agency_b, "skck", "Surat Keterangan Catatan Kepolisian", synonyms="SKCK"),
    }


def found(query: str) -> list[str]:
    return [service.slug for service in selectors.service_list(query=query)]


@pytest.mark.parametrize(
    "query",
    [
        "ktp",
        "KTP",
        "e-ktp",
        "E-KTP",
        "ektp",
        "KTP-el",
        "ktp el",
        "KTP  EL",
        "e ktp",
        "ktp elektronik",
        "Kartu Tanda Penduduk",
        "kartu tanda penduduk elektronik",
        "  penerbitan   ktp-el  ",
    ],
)
def test_every_written_variant_of_ktp_finds_the_ktp_el_service(catalog, query):
    assert found(query) == ["ktp-el"]


@pytest.mark.parametrize(
    "query", ["akta lahir", "AKTA KELAHIRAN", "akta kelahiran", "akte kelahiran", "Akta"]
)
def test_birth_certificate_is_found_by_root_word_and_case_insensitively(catalog, query):
    assert found(query) == ["akta-kelahiran"]


@pytest.mark.parametrize("query", ["dinas", "Dinas Kependudukan", "DUKCAPIL"])
def test_the_agency_name_finds_its_services(catalog, query):
    assert found(query) == ["akta-kelahiran", "ktp-el"]


def test_the_other_agency_name_finds_only_its_services(catalog):
    assert found("Polresta") == ["skck"]


@pytest.mark.parametrize("query", ["pindah", "pindah domisili", "moving house"])
def test_a_life_event_finds_the_services_attached_to_it(catalog, query):
    assert found(query) == ["ktp-el"]


def test_a_synonym_finds_the_service(catalog):
    assert found("skck") == ["skck"]


def test_words_are_and_ed_not_or_ed(catalog):
    assert found("akta dukcapil") == ["akta-kelahiran"]
    assert found("ktp polresta") == []
    assert found("akta ktp") == []


@pytest.mark.parametrize("query", ["", "   ", "dan", "!!!", "😀🙏"])
def test_a_query_without_words_returns_every_service(catalog, query):
    assert found(query) == ["akta-kelahiran", "ktp-el", "skck"]


@pytest.mark.parametrize(
    "query",
    [
        "%",
        "_",
        "' OR 1=1 --",
        "ktp\x00",
        "<script>alert(1)</script>",
        "K\u0301TP",  # combining accent is folded away
        "ktp😀el",
        "ktp " * 2500,
        "akta kelahiran " * 700,
        "x" * 10_000,
        " ".join(f"kata{i}" for i in range(2000)),
    ],
)
def test_odd_and_very_long_input_does_not_crash(catalog, query):
    result = found(query)
    assert isinstance(result, list)


def test_a_pasted_page_of_repeats_still_finds_the_service(catalog):
    assert found("ktp " * 2500) == ["ktp-el"]


def test_inactive_services_and_services_of_inactive_agencies_are_not_found(catalog, agency_b):
    catalog["ktp"].is_active = False
    catalog["ktp"].save()
    agency_b.is_active = False
    agency_b.save()
    assert found("ktp") == []
    assert found("") == ["akta-kelahiran"]


def test_renaming_a_service_updates_what_search_finds(catalog, manager):
    services.service_update(actor=manager, service=catalog["skck"], name="Surat Kelakuan Baik")
    assert found("kelakuan baik") == ["skck"]
    assert found("kepolisian") == []


def test_search_text_written_by_the_test_builder_matches_the_service(agency_a):
    make_service(agency=agency_a, slug="kk", name="Penerbitan Kartu Keluarga")
    assert found("kartu keluarga") == ["kk"]
    assert found("KK") == ["kk"]


class TestTokens:
    def test_words_are_lowercased_stemmed_and_stop_words_dropped(self):
        assert tokens("Penerbitan Akta Kelahiran dan Kematian") == [
            "terbit",
            "akta",
            "lahir",
            "mati",
        ]

    @pytest.mark.parametrize(
        "variant", ["ktp", "KTP", "e-ktp", "E-KTP", "ektp", "KTP-el", "ktp el", "e-KTP-el"]
    )
    def test_variants_of_ktp_become_one_word(self, variant):
        assert tokens(variant) == ["ktp"]

    def test_phrases_are_folded_only_as_whole_words(self):
        # "the ktp" must not glue into "thktp" through the phrase "e ktp".
        assert tokens("the ktp") == ["ktp"]
        assert tokens("ktp elok") == ["ktp", "elok"]

    def test_hyphenated_words_split_unless_they_are_a_known_variant(self):
        assert tokens("anak-anak") == ["anak", "anak"]
        assert tokens("SIM-A") == ["sim", "a"]

    def test_accents_and_emoji_are_folded_away(self):
        assert tokens("Pendaftaran café 😀") == ["daftar", "cafe"]

    def test_a_huge_word_is_kept_as_is_instead_of_stemmed(self):
        word = "ber" + "x" * 9_997
        assert tokens(word) == [word]

    def test_index_text_holds_unique_words_framed_by_spaces(self):
        text = index_text("Akta Kelahiran", "akta lahir", "", "Dukcapil")
        assert text == " akta lahir dukcapil "

    def test_index_text_of_nothing_is_a_single_frame(self):
        assert index_text() == "  "
        assert index_text("", "😀") == "  "


def test_agency_created_without_services_does_not_break_search(db):
    make_agency(slug="kosong", name="Instansi Kosong")
    assert found("kosong") == []


@pytest.mark.django_db
def test_a_service_named_by_the_query_comes_before_services_that_only_mention_it(agency_a):
    from mpp.catalog.testing import make_service

    mention = make_service(
        agency=agency_a, name="Aktivasi Identitas Kependudukan Digital", keywords="ktp, hp"
    )
    named = make_service(agency=agency_a, name="Penerbitan KTP-el", synonyms="e-KTP")
    found = list(selectors.service_list(query="e-ktp"))
    assert found == [named, mention]
