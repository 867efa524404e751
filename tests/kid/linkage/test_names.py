from stpkit.kid.pipeline.linkage import names


def test_soundex_codes_sound_alike_names_together() -> None:
    assert names.soundex("ROBERT") == names.soundex("RUPERT") == "R163"
    assert names.soundex("ASHCRAFT") == "A261"  # H does not separate S and C
    assert names.soundex("SMITH") == names.soundex("SMYTH")
    assert names.soundex("") is None


def test_clean_name_strips_accents_case_and_punctuation() -> None:
    assert names.clean_name("Zoë") == "ZOE"
    assert names.clean_name("o'neil-SMITH ") == "ONEILSMITH"
    assert names.clean_name("  ") is None


def test_nicknames_share_a_root_and_one_blocking_key() -> None:
    assert set(names.name_roots("BOB")) & set(names.name_roots("ROBERT"))
    assert names.name_root("BOB") == names.name_root("ROBERT") == "ROBERT"
    assert names.name_root("PEGGY") == names.name_root("MARGARET")
    assert names.name_roots("XANTHIPPE") == ["XANTHIPPE"]  # unknown: itself
