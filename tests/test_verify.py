"""verify_briefing: evidence ids, support, verbatim quotes, repairs, attribution, merging."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.ingest.files import load_article
from briefing.records import Actor, Briefing, KeyJudgment, Quote, Risk, Scenario
from briefing.text.article import build_article
from briefing.verify import failed_items, normalise, verify_briefing
from tests.conftest import SEED

ARTICLE = load_article(str(SEED))
QUOTATIONS = [q.text for q in ARTICLE.quotations]


def make(actors=None, judgments=None, risks=None):
    return Briefing(
        title="t",
        bluf="b",
        summary="s",
        key_judgments=judgments
        or [
            KeyJudgment(
                statement="Talks between South Korea and North Korea collapsed",
                likelihood="likely",
                confidence="moderate",
                evidence=[1],
            )
        ],
        key_actors=actors
        or [Actor(name="Kim Yo-jong", kind="person", role="sister", stance="s", evidence=[13], quotes=[])],
        risks=risks
        or [
            Risk(
                title="Military confrontation",
                description="Military confrontations could follow",
                likelihood="likely",
                impact="high",
                timeframe="weeks",
                indicators=["drills"],
                evidence=[30],
            )
        ],
        outlook=[
            Scenario(
                development="Backchannel dialogue with North Korea", likelihood="unlikely", signposts=[], evidence=[32]
            )
        ],
        gaps=[],
    )


def kim(*quotes, evidence=(13,), name="Kim Yo-jong"):
    return Actor(name=name, kind="person", role="r", stance="s", evidence=list(evidence), quotes=list(quotes))


def test_the_articles_own_quotations_verify():
    q = Quote(text=QUOTATIONS[1], speaker="Kim Yo-jong", verified=False)
    checked, grounding = verify_briefing(make([kim(q)]), ARTICLE)
    quote = checked.key_actors[0].quotes[0]
    assert quote.verified and quote.check.status == "verified"
    assert grounding.sections["quotes"].verified == 1


def test_invented_quote_is_unverified_even_if_the_model_says_verified():
    q = Quote(text="We will launch missiles tomorrow", speaker="Kim Yo-jong", verified=True)
    checked, grounding = verify_briefing(make([kim(q)]), ARTICLE)
    quote = checked.key_actors[0].quotes[0]
    assert quote.verified is False and quote.check.status == "unverified"
    assert any("does not occur" in line for line in failed_items(grounding))


def test_narrative_passed_off_as_quote_is_unverified():
    q = Quote(text="Japan has expressed concerns about North Korea's capabilities", speaker="Japan")
    checked, _ = verify_briefing(make([kim(q, name="Japan", evidence=[16])]), ARTICLE)
    assert "narrative" in checked.key_actors[0].quotes[0].check.notes[0]


def test_near_miss_is_repaired_to_the_exact_words():
    typo = "From our perspective, discussions only ocurred to appease international expectation"
    checked, grounding = verify_briefing(make([kim(Quote(text=typo, speaker="Kim Yo-jong"))]), ARTICLE)
    quote = checked.key_actors[0].quotes[0]
    assert quote.text == QUOTATIONS[1] and quote.verified
    assert any(i.status == "repaired" for i in grounding.issues)


def test_typography_never_decides_a_match():
    curly = "We must remain vigilant and prepared for any contingencies".replace(" ", "  ")
    q = Quote(text=f"“{curly}”", speaker="Fumio Kishida")
    checked, _ = verify_briefing(make([kim(q, name="Fumio Kishida", evidence=[17])]), ARTICLE)
    assert checked.key_actors[0].quotes[0].verified


def test_wrong_speaker_is_corrected_and_quote_moved_to_its_speaker():
    q = Quote(text=QUOTATIONS[0], speaker="Kim Yo-jong")  # Min Jae-sik said it
    actors = [kim(q), kim(name="Min Jae-sik", evidence=[10])]
    checked, grounding = verify_briefing(make(actors), ARTICLE)
    assert checked.key_actors[0].quotes == []
    moved = checked.key_actors[1].quotes[0]
    assert moved.speaker == "Min Jae-sik" and moved.verified
    assert any("moved" in i.message for i in grounding.issues)


def test_quote_under_someone_else_without_its_speaker_in_the_briefing_is_marked():
    q = Quote(text=QUOTATIONS[0], speaker="Min Jae-sik")
    checked, _ = verify_briefing(make([kim(q)]), ARTICLE)
    assert checked.key_actors[0].quotes[0].check.status == "weak"


def test_duplicate_quotes_and_actors_are_merged():
    q = Quote(text=QUOTATIONS[1], speaker="Kim Yo-jong")
    checked, grounding = verify_briefing(make([kim(q), kim(q)]), ARTICLE)
    assert len(checked.key_actors) == 1 and len(checked.key_actors[0].quotes) == 1
    assert sum(i.status == "dropped" for i in grounding.issues) >= 1


def test_merged_duplicates_keep_the_two_quote_cap_and_stay_valid():
    # A quote is cut from the article's quotation: each part verifies as the speaker's words.
    parts = [QUOTATIONS[1][:20], QUOTATIONS[1][-25:], QUOTATIONS[1]]
    first = kim(*(Quote(text=t, speaker="Kim Yo-jong") for t in parts[:2]))
    second = kim(Quote(text=parts[2], speaker="Kim Yo-jong"), Quote(text=parts[0], speaker="Kim Yo-jong"))
    checked, _ = verify_briefing(make([first, second]), ARTICLE)
    assert [q.text for q in checked.key_actors[0].quotes] == parts[:2]
    Briefing.model_validate(checked.model_dump())


def test_dangling_evidence_is_dropped_and_reported():
    j = KeyJudgment(
        statement="Talks collapsed between South Korea and North Korea",
        likelihood="likely",
        confidence="low",
        evidence=[1, 99, 0],
    )
    checked, grounding = verify_briefing(make(judgments=[j]), ARTICLE)
    assert checked.key_judgments[0].evidence == [1]
    assert any("S99, S0 does not exist" in i.message for i in grounding.issues)


def test_only_dangling_evidence_makes_the_item_unverified():
    j = KeyJudgment(statement="x", likelihood="likely", confidence="low", evidence=[77])
    checked, grounding = verify_briefing(make(judgments=[j]), ARTICLE)
    assert checked.key_judgments[0].check.status == "unverified"
    assert checked.key_judgments[0].evidence == []


def test_unsupporting_citation_is_weak_with_suggestions():
    j = KeyJudgment(
        statement="Kim Jong-un vowed to develop military capabilities",
        likelihood="likely",
        confidence="low",
        evidence=[2],
    )
    checked, _ = verify_briefing(make(judgments=[j]), ARTICLE)
    check = checked.key_judgments[0].check
    assert check.status == "weak" and 28 in check.suggested


def test_lazy_runs_keep_only_supporting_sentences():
    j = KeyJudgment(
        statement="Kim Jong-un vowed to develop military capabilities",
        likelihood="likely",
        confidence="low",
        evidence=[26, 27, 28, 29],
    )
    checked, _ = verify_briefing(make(judgments=[j]), ARTICLE)
    assert checked.key_judgments[0].evidence == [28]


def test_actor_not_in_article_is_unverified():
    checked, _ = verify_briefing(make([kim(name="Vladimir Putin", evidence=[1])]), ARTICLE)
    assert checked.key_actors[0].check.status == "unverified"


def test_grounding_line_counts():
    q = Quote(text="invented words here", speaker="Kim Yo-jong")
    _, grounding = verify_briefing(make([kim(q)]), ARTICLE)
    assert grounding.total == grounding.verified + grounding.weak + grounding.unverified
    assert grounding.line.startswith(f"{grounding.verified} of {grounding.total} items verified")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(QUOTATIONS), st.data())
def test_property_any_part_of_an_article_quotation_verifies(quotation, data):
    words = quotation.split()
    start = data.draw(st.integers(0, len(words) - 1))
    end = data.draw(st.integers(start + 1, len(words)))
    fragment = " ".join(words[start:end])
    checked, _ = verify_briefing(make([kim(Quote(text=fragment, speaker="x"))]), ARTICLE)
    assert checked.key_actors[0].quotes[0].verified


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Ll", "Lu", "Zs"]), min_size=12, max_size=80))
def test_property_a_string_not_in_the_article_does_not_verify(text):
    norm = normalise(text)
    if not norm or norm in normalise(ARTICLE.text):
        return
    checked, _ = verify_briefing(make([kim(Quote(text=text, speaker="x"))]), ARTICLE)
    quote = checked.key_actors[0].quotes[0] if checked.key_actors[0].quotes else None
    # Either it is marked unverified, or it was repaired to an article quotation (then it verifies as that).
    assert quote is None or not quote.verified or quote.text in QUOTATIONS
    if quote is not None and quote.verified:
        assert quote.text in QUOTATIONS and quote.text != text


def test_text_cut_at_its_length_limit_ends_at_its_last_sentence():
    cut = ("The talks collapsed. Tensions rose across the peninsula. " * 8)[:398] + " as"
    b = make()
    b.bluf = cut[:400]
    checked, grounding = verify_briefing(b, ARTICLE)
    assert checked.bluf.endswith("peninsula.") and len(checked.bluf) < 400
    assert any(i.path == "bluf" and i.status == "repaired" for i in grounding.issues)
    whole = make()
    whole.bluf = "A short bottom line without a final period"
    assert verify_briefing(whole, ARTICLE)[0].bluf == whole.bluf


def test_attribution_is_separate_from_verbatim():
    said = Quote(text=QUOTATIONS[1], speaker="Kim Yo-jong")
    wrong = Quote(text=QUOTATIONS[0], speaker="Kim Yo-jong")  # Min Jae-sik said it
    checked, _ = verify_briefing(make([kim(said, wrong)]), ARTICLE)
    by_text = {q.text: q for a in checked.key_actors for q in a.quotes}
    assert by_text[QUOTATIONS[1]].attribution == "confirmed"
    assert by_text[QUOTATIONS[0]].attribution == "corrected"
    unsaid = build_article(
        source="t",
        title="Dam talks",
        text="Ministers met in Corin on Tuesday.\n\n“We will not open the gates before July.”\n\nTalks resume in May.",
    )
    q = Quote(text="We will not open the gates before July.", speaker="Ida Marsh")
    actor = Actor(
        name="Ida Marsh", kind="person", role="minister", stance="keeps the gates shut", evidence=[1], quotes=[q]
    )
    checked, _ = verify_briefing(make([actor]), unsaid)
    quote = checked.key_actors[0].quotes[0]
    assert quote.verified and quote.attribution == "unconfirmed"


def test_a_near_miss_repaired_to_a_long_quotation_stays_within_the_bound():
    long_quote = "We will hold the line on water. " * 20
    filler = " ".join(f"Officials met again on day {i} of the talks." for i in range(40))  # ids the fixture cites
    article = build_article(
        source="t", title="Dam", text=f"Ida Marsh spoke.\n\n“{long_quote.strip()}” Ida Marsh said.\n\n{filler}"
    )
    near = Quote(text=long_quote.strip()[:390].replace("line", "lines", 1), speaker="Ida Marsh")
    actor = Actor(
        name="Ida Marsh", kind="person", role="minister", stance="keeps the gates shut", evidence=[1], quotes=[near]
    )
    checked, _ = verify_briefing(make([actor]), article)
    Briefing.model_validate(checked.model_dump())  # a repair never breaks the schema
