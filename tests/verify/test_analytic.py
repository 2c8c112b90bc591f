"""Each analytic check with a failing and a passing example; the re-ask sends only the failing texts."""

from __future__ import annotations

import json

import pytest

from briefing.text.article import build_article
from briefing.verify import analytic
from tests.llm_server import Reply, schema_instance_for

ARTICLE = build_article(
    source="t",
    title="Dam talks",
    text="Ministers of Arland and Bevia met in Corin on Tuesday but failed to agree on sharing the river. "
    "Arland will keep filling its new reservoir through July, its water minister said on Wednesday.",
)


@pytest.mark.parametrize(
    ("check", "bad", "good"),
    [
        (analytic.meta_talk, "The article highlights rising tension.", "Rising tension makes a deal unlikely."),
        (analytic.meta_talk, "El artículo describe la crisis.", "La crisis debilita al gobierno."),
        # a re-ask's echo of the briefing's own fields
        (analytic.meta_talk, "The risk 0 states that Bevia faces rationing.", "The outlook is bleak for Bevia."),
        (analytic.meta_talk, "The bluf states that talks failed.", "The summary of the talks is short."),
        (analytic.reported_fact, "The ministers met in Corin on Tuesday.", "The talks will likely fail before July."),
        (analytic.cut_sentence, "Arland keeps the gates shut, while Bevia", "Arland keeps the gates shut."),
        (analytic.cut_phrase, "Summer shortfall in the", "Summer shortfall in Bevia"),
        (analytic.cut_phrase, "Rationing announced,", "Rationing announced"),
        (analytic.wordless, "11; 13; 11", "Bevia announces water rationing"),
        (analytic.wordless, "S4, S5", "A date is set for new talks"),
        (analytic.wordless, "evidence':[14,16]},{", "Peru's congress ratifies the pact"),
        (analytic.wordless, "]}]}**Note:** The dates are not given", "A date is set for new talks"),
        (analytic.thin_stance, "opposed", "wants the reservoir's summer release fixed by treaty"),
    ],
)
def test_each_check_fails_the_bad_text_and_passes_the_good(check, bad, good):
    assert check(bad) is not None
    assert check(good) is None


def test_the_examples_names_a_title_that_is_the_headline_and_a_copy_past_an_abbreviation_are_caught():
    from briefing.verify.copies import prompt_names

    instructions = "An example (invented). [S1] Ministers of Arland and Bevia met in Corin on Tuesday."
    article = build_article(
        source="t",
        title="Kmart buying Sears in $11.5 billion deal",
        text="Discount retailer Kmart Holding Corp. (KMRT.O) will buy Sears in an $11.5 billion deal on Wednesday. "
        "Analysts were divided.",
    )
    assert prompt_names(instructions) == {"Arland", "Bevia", "Corin"}  # not "Tuesday", not "Ministers"
    leak = "Bevia files a complaint with the retail regulator."
    assert "'Bevia'" in analytic.copied_prompt(leak, instructions, article.text)
    assert analytic.copied_prompt("Sears files a complaint.", instructions, article.text) is None
    # An indicator too short for the clause check, with the example's words and the article's name
    example = instructions + " Indicators: Arland confirms filling through July; Bevia announces water rationing."
    assert "invented example" in analytic.copied_prompt("Sears announces water rationing", example, article.text)
    assert analytic.copied_prompt("Sears announces store closures", example, article.text) is None
    # ... and five words in a row of it, three of them long, in a longer one
    gap_example = (
        example + " Gap: It is not said whether Bevia has offered Arland anything in return for a larger share."
    )
    copied_gap = "It is not known whether Sears has offered Kmart anything in return for a larger share."
    assert "'return for a larger share'" in analytic.copied_prompt(copied_gap, gap_example, article.text)
    own_gap = "It is not known whether Sears has offered Kmart a larger share of the stores."
    assert analytic.copied_prompt(own_gap, gap_example, article.text) is None
    assert analytic.copied_headline("Kmart Buying Sears in $11.5 Billion Deal", article.title) is not None
    assert analytic.copied_headline("A merger of two weak retailers buys time, not growth", article.title) is None
    copy = "Discount retailer Kmart Holding Corp. (KMRT.O) will buy Sears in an $11.5 billion deal on Wednesday."
    assert analytic.copied_sentence(copy, article) == 1  # "Corp. (KMRT" does not end the sentence


def test_a_copied_article_sentence_is_caught_and_a_paraphrase_is_not():
    copy = "Ministers of Arland and Bevia met in Corin on Tuesday but failed to agree on sharing the river."
    assert analytic.copied_sentence(copy, ARTICLE) == 1
    assert analytic.copied_sentence(copy.replace("Tuesday", "Monday"), ARTICLE) == 1  # a word changed
    own = "Neither government can be seen to give way on the river before its autumn election."
    assert analytic.copied_sentence(own, ARTICLE) is None


def test_a_risk_title_repeated_as_its_description():
    assert analytic.title_repeated("Water shortfall in Bevia", "Water shortfall in Bevia.") is not None
    assert analytic.title_repeated("Water shortfall in Bevia", "Farms get a third less water in July.") is None


def test_duplicates_are_found_across_judgments_and_outlook():
    flaws = analytic.duplicates(
        [
            ("key_judgments/0/statement", "Arland will keep the gates shut until July."),
            ("outlook/0/development", "Until July Arland will keep the gates shut."),
            ("outlook/1/development", "Bevia will appeal to the Basin Commission."),
        ]
    )
    assert [f.path for f in flaws] == ["outlook/0/development"]


def test_find_flaws_on_a_thin_briefing_names_each_text(seed_result):
    b = seed_result.briefing.model_copy(deep=True)
    b.key_actors[0].stance = "opposed"
    b.key_actors[1].stance = "opposed"
    b.risks[0].indicators = ["11; 13; 11"]
    b.gaps = ["The article does not establish the full extent of the talks."]
    found = {(f.path, f.check) for f in analytic.find_flaws(b, seed_result.article)}
    assert ("key_actors/0/stance", "stance") in found and ("key_actors/1/stance", "stance") in found
    assert ("risks/0/indicators/0", "indicator") in found
    assert ("gaps/0", "meta-talk") in found


def test_the_reask_sends_only_the_failing_texts_and_marks_what_stays(cli, llm, seed, tmp_path):
    """A briefing with a one-word stance and a wordless indicator: one revision request holding
    exactly those two texts; its answer replaces them; nothing else changes."""

    def answer(request):
        schema = request.body["response_format"]["json_schema"]
        data = schema_instance_for(request.body)
        if schema["name"] == "briefing":
            data["key_actors"][0]["stance"] = "opposed"
            data["risks"][0]["indicators"] = ["S11; S13"]
        return Reply(content=json.dumps(data))

    llm.respond = answer
    out = tmp_path / "out"
    result = cli("generate", seed, "-f", "json", "-o", f"{out}/", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    names = [r.body["response_format"]["json_schema"]["name"] for r in llm.chat_requests]
    assert names == ["briefing", "revision"]
    revision = llm.chat_requests[1].body
    properties = revision["response_format"]["json_schema"]["schema"]["properties"]
    assert set(properties) == {"key_actors_0_stance", "risks_0_indicators_0"}  # each text under its own path
    ask = revision["messages"][-1]["content"]
    assert "key_actors_0_stance" in ask and "risks_0_indicators_0" in ask and "opposed" in ask
    assert revision["messages"][:2] == llm.chat_requests[0].body["messages"][:2]  # the cached prefix, again
    saved = json.loads(next(out.glob("*.json")).read_text())
    assert saved["briefing"]["key_actors"][0]["stance"] != "opposed"
    assert saved["briefing"]["risks"][0]["indicators"][0] != "S11; S13"
    assert saved["grounding"]["analytic"] == {}
    assert saved["usage"]["requests"] == 2
    repaired = {(i["path"], i["check"]) for i in saved["grounding"]["issues"] if i["status"] == "repaired"}
    assert {("key_actors/0/stance", "stance"), ("risks/0/indicators/0", "indicator")} <= repaired  # recorded


def test_what_the_reask_cannot_fix_is_marked_and_strict_fails(cli, llm, seed, tmp_path):
    def answer(request):
        data = schema_instance_for(request.body)
        if request.body["response_format"]["json_schema"]["name"] == "briefing":
            data["gaps"] = ["The article is silent on who proposed the talks."]
            return Reply(content=json.dumps(data))
        return Reply(content=json.dumps({"gaps_0": "The article still does not establish it."}))

    llm.respond = answer
    out = tmp_path / "out"
    result = cli("generate", seed, "-f", "json", "-f", "md", "-o", f"{out}/", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    saved = json.loads(next(out.glob("*.json")).read_text())
    assert saved["grounding"]["analytic"] == {"meta-talk": 1}
    assert any(i["status"] == "flagged" and i["path"] == "gaps/0" for i in saved["grounding"]["issues"])
    assert "flagged by the analytic checks" in next(out.glob("*.md")).read_text()
    strict = cli("generate", seed, "-o", f"{tmp_path}/strict/", "--base-url", llm.url, "--strict")
    assert strict.exit_code == 1 and "gaps/0" in strict.stderr


@pytest.mark.parametrize(
    ("text", "gap", "expected"),
    [
        ("The article does not establish whether Hamas will field a candidate", True,
         "It is not known whether Hamas will field a candidate."),
        ("The text doesn't say how much water Bevia needs.", True, "It is not known how much water Bevia needs."),
        ("The article says that talks will resume in May.", False, "Talks will resume in May."),
        ("The article does not establish whether talks resume.", False, None),  # only gaps are rewritten so
        ("The article highlights rising tension.", True, None),  # left to the checks and the re-ask
        ("It is not known whether talks resume.", True, None),
        ("What policies Álvarez-Cascos will propose are not mentioned in the article.", True,
         "What policies Álvarez-Cascos will propose are not reported."),
        ("The death toll is not clearly stated in the text", True, "The death toll is not reported."),
        ("The death toll is not stated in the article.", False, None),  # a judgment is left to the re-ask
        ("He is not in the article.", True, None),
    ],
)  # fmt: skip
def test_source_talk_rewritten_by_rule(text, gap, expected):
    from briefing.verify.rewrite import unsourced

    assert unsourced(text, gap=gap) == expected


def test_a_text_copied_from_the_prompt_is_flagged():
    prompt = "An example. Gaps: How much water Arland's farmers need, and so when the gates could open, is not given."
    assert analytic.copied_prompt("How much water Arland's farmers need, and so when the gates could open.", prompt)
    assert analytic.copied_prompt("How much water Bevia's towns need this summer is not given.", prompt) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kmart will buy Sears, creating the third-largest U.S. retailer", "Kmart will buy Sears, creating the third-largest U.S. retailer."),
        ("Oil fell to $42.70 a barrel", "Oil fell to $42.70 a barrel."),
        ("There is no guarantee that it will be", None),  # cut, not unpunctuated
        ("Japan's ODA involvement with China has,", None),
        ("Talks resume in May.", None),
    ],
)  # fmt: skip
def test_a_whole_sentence_gets_its_full_stop_and_a_cut_one_does_not(text, expected):
    from briefing.verify.rewrite import ended

    assert ended(text) == expected


def test_a_text_cut_at_its_fields_limit_stays_cut_and_the_briefing_valid(seed_result):
    """A bottom line cut at 400 characters on a word has no room for a full stop (mozambique, §7j)."""
    from briefing.records import Briefing
    from briefing.verify.rewrite import rewrite_by_rule

    b = seed_result.briefing.model_copy(deep=True)
    b.bluf = ("The talks stalled over the reservoir and the vote " * 9)[:397] + " ST"
    b.gaps[0] = "It is not known whether the talks resume in June"
    fixed, issues = rewrite_by_rule(b)
    assert fixed.bluf == b.bluf and fixed.gaps[0].endswith("June.")
    assert "gaps/0" in [i.path for i in issues] and "bluf" not in [i.path for i in issues]
    Briefing.model_validate(fixed.model_dump())


def test_flaws_come_most_important_first_with_every_reason(seed_result):
    b = seed_result.briefing.model_copy(deep=True)
    b.key_actors[0].stance = "opposed"
    b.key_judgments[0].statement = "The article says the talks collapsed in Panmunjom on Monday, while"
    flaws = analytic.find_flaws(b, seed_result.article)
    assert flaws[0].path == "key_judgments/0/statement"
    assert "talks about the source" in flaws[0].reason and "ends mid-sentence" in flaws[0].reason
    assert [f.path for f in flaws].index("key_actors/0/stance") > 0


def test_a_summary_repeating_the_bluf_and_a_risk_restating_a_judgment_are_flagged(seed_result):
    b = seed_result.briefing.model_copy(deep=True)
    b.summary = b.bluf
    b.risks[0].title = b.key_judgments[0].statement
    found = {(f.path, f.check) for f in analytic.find_flaws(b, seed_result.article)}
    assert ("summary", "duplicate") in found
    assert ("risks/0/title", "duplicate") in found


def test_a_repeated_item_is_dropped_above_the_minimum_and_kept_within_it(seed_result):
    from briefing.verify.rewrite import drop_repeats

    b = seed_result.briefing.model_copy(deep=True)
    first = b.outlook[0]
    b.outlook = [first, first.model_copy(), first.model_copy()]
    fixed, issues = drop_repeats(b, {"outlook": 2})
    assert len(fixed.outlook) == 2 and [i.path for i in issues] == ["outlook/1"]
    fixed, issues = drop_repeats(b, {"outlook": 3})
    assert len(fixed.outlook) == 3 and issues == []


def test_items_still_repeating_another_are_dropped_above_the_minimum_and_later_paths_move(seed_result):
    from briefing.records import Issue
    from briefing.verify.rewrite import drop_repeats, renumber

    b = seed_result.briefing.model_copy(deep=True)
    first = b.outlook[0]
    b.outlook = [first, first.model_copy(), first.model_copy()]
    b.outlook[1].development = b.key_judgments[0].statement  # an outlook item that restates a judgment
    b.outlook[2].development = "Seoul names a new envoy to restart the talks before the summer."
    b.risks[0].title = b.key_judgments[0].statement  # a risk whose title restates a judgment keeps its description
    redundant = analytic.redundant_items(b, seed_result.article)
    assert redundant == {"outlook/1": "repeats an earlier item"}
    fixed, dropped = drop_repeats(b, {"outlook": 2}, redundant)
    assert [o.development for o in fixed.outlook] == [first.development, b.outlook[2].development]
    assert [(d.path, d.message) for d in dropped] == [("outlook/1", "repeats an earlier item; dropped")]
    assert drop_repeats(b, {"outlook": 3}, redundant)[1] == []  # never below the minimum
    b.outlook[2].development = seed_result.article.sentences[3]  # an article sentence, copied
    assert analytic.redundant_items(b, seed_result.article)["outlook/2"] == "copies article sentence S4"
    issues = [
        Issue(path="outlook/1/development", status="repaired", message="full stop added"),
        Issue(path="outlook/2", status="weak", message="see S3"),
        Issue(path="outlook/2/signposts/0", status="repaired", message="x"),
        Issue(path="key_judgments/2", status="weak", message="see S4"),
    ]
    assert [i.path for i in renumber(issues, dropped)] == ["outlook/1", "outlook/1/signposts/0", "key_judgments/2"]


def test_an_outlook_item_the_reask_leaves_repeating_a_judgment_is_dropped_and_the_result_loads(
    cli, llm, seed, tmp_path
):
    from briefing.records import BriefingResult

    def answer(request):
        schema = request.body["response_format"]["json_schema"]
        data = schema_instance_for(request.body)
        if schema["name"] == "briefing":
            data["outlook"] = [dict(data["outlook"][0]) for _ in range(3)]
            data["outlook"][0]["development"] = "Seoul names a new envoy to restart the talks before the summer."
            data["outlook"][1]["development"] = data["key_judgments"][0]["statement"]
            data["outlook"][2]["development"] = "Pyongyang tests another missile before the talks can resume."
        else:  # the re-ask writes the same point again
            data = {key: "Seoul names a new envoy to restart the talks before the summer." for key in data}
        return Reply(content=json.dumps(data))

    llm.respond = answer
    out = tmp_path / "out"
    result = cli("generate", seed, "-f", "json", "-o", f"{out}/", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    saved = json.loads(next(out.glob("*.json")).read_text())
    developments = [o["development"] for o in saved["briefing"]["outlook"]]
    assert len(developments) == 2 and saved["briefing"]["key_judgments"][0]["statement"] not in developments
    assert {"path": "outlook/1", "status": "dropped"}.items() <= next(
        i for i in saved["grounding"]["issues"] if i["status"] == "dropped"
    ).items()
    assert all(not i["path"].startswith("outlook/2") for i in saved["grounding"]["issues"] if i["status"] != "dropped")
    BriefingResult.model_validate(saved)  # the saved result loads again


def test_stray_gaps_indicators_and_signposts_are_dropped_down_to_each_lists_minimum(seed_result):
    from briefing.records import Issue
    from briefing.verify.analytic import Flaw
    from briefing.verify.rewrite import drop_strays, renumber

    b = seed_result.briefing.model_copy(deep=True)
    b.gaps = ["How much water Arland's farmers need is not given.", "It is not known whether talks resume."]
    b.risks[0].indicators = ["Bevia files a complaint with the Basin Commission"]
    b.outlook[0].signposts = ["Arland announces a partial release", "evidence':[14,16]},{", "Seoul names an envoy"]
    example = "copies the prompt's example or rules instead of writing about this article"
    flaws = [
        Flaw("gaps/0", "example", example),
        Flaw("risks/0/indicators/0", "example", example),
        Flaw("outlook/0/signposts/0", "example", example),
        Flaw("outlook/0/signposts/1", "indicator", "'evidence' is not an observable event in words"),
        Flaw("key_judgments/0/statement", "copied", "copies article sentence S1"),  # no list entry: stays
    ]
    fixed, dropped = drop_strays(b, flaws, min_gaps=1)
    assert fixed.gaps == ["It is not known whether talks resume."]
    assert fixed.risks[0].indicators == b.risks[0].indicators  # a risk keeps one indicator, flagged
    assert fixed.outlook[0].signposts == ["Seoul names an envoy"]
    assert [d.path for d in dropped] == ["gaps/0", "outlook/0/signposts/0", "outlook/0/signposts/1"]
    assert drop_strays(b, flaws, min_gaps=2)[0].gaps == b.gaps  # never below the minimum
    issues = [
        Issue(path="outlook/0/signposts/2", status="repaired", message="x"),
        Issue(path="outlook/0/signposts/1", status="repaired", message="y"),
        Issue(path="gaps/1", status="repaired", message="full stop added"),
        Issue(path="outlook/1/signposts/0", status="repaired", message="z"),
    ]
    assert [i.path for i in renumber(issues, dropped)] == ["outlook/0/signposts/0", "gaps/0", "outlook/1/signposts/0"]


def test_a_rewrite_past_its_fields_limit_is_not_kept_so_the_result_loads(seed_result):
    """A 900-character summary that tidying ends with a period is one character too long: the first
    summary stays, and the briefing still validates."""
    from briefing.records import Briefing
    from briefing.revise import keep_fixed

    b = seed_result.briefing
    long = ("Neither side can give way before the vote, so talks will stall and rationing will spread. " * 10)[:900]
    kept, paths = keep_fixed(b, {"summary": long + ".", "bluf": "Talks will stall before the vote."}, lambda _: [])
    assert paths == ["bluf"] and kept.summary == b.summary and kept.bluf == "Talks will stall before the vote."
    Briefing.model_validate(kept.model_dump())


def test_a_rewrite_that_repeats_a_text_left_as_it_was_is_not_kept(seed_result):
    """fr-brexit: the re-ask wrote a judgment as the same sentence as an outlook item whose own
    rewrite failed. Each passed alone; kept together they were a repeat."""
    from briefing.revise import keep_fixed

    b = seed_result.briefing.model_copy(deep=True)
    article = seed_result.article
    outlook = b.outlook[0].development
    texts = {"key_judgments/0/statement": outlook, "outlook/0/development": "Talks resume in"}  # the second is cut
    kept, paths = keep_fixed(b, texts, lambda x: analytic.find_flaws(x, article))
    assert paths == [] and kept.key_judgments[0].statement == b.key_judgments[0].statement
    fine = {
        "key_judgments/0/statement": "Neither government can concede before the autumn vote, so the talks will stall."
    }
    assert keep_fixed(b, fine, lambda x: analytic.find_flaws(x, article))[1] == ["key_judgments/0/statement"]


def test_a_repair_that_leaves_the_briefing_invalid_keeps_the_verified_answer(cli, llm, seed, tmp_path, monkeypatch):
    """Should a repair ever break the schema (a bug, injected here), the run still ends well: the
    verified answer is saved, its flaws marked, and it loads again; one warning line says so."""
    from briefing import brief
    from briefing.records import BriefingResult

    def broken(article, session, messages, briefing, grounding, usage, timings):
        invalid = briefing.model_copy(deep=True)
        invalid.summary = "Talks stall. " * 80  # past the summary's 900 characters, unvalidated
        return invalid, grounding

    monkeypatch.setattr(brief, "_revise", broken)
    out = tmp_path / "out"
    result = cli("generate", seed, "-f", "json", "-o", f"{out}/", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    assert "keeping the verified answer" in result.stderr and "Traceback" not in result.stderr
    saved = BriefingResult.model_validate_json(next(out.glob("*.json")).read_text())
    assert len(saved.briefing.summary) <= 900


def test_the_reask_asks_for_a_copy_of_the_example_afresh_without_showing_it_again(seed_result):
    from briefing.revise import revision_messages
    from briefing.verify.analytic import Flaw

    b = seed_result.briefing.model_copy(deep=True)
    b.gaps = ["It is not said whether Bevia has offered Arland anything in return for a larger share."]
    b.key_actors[0].stance = "opposed"
    flaws = [
        Flaw("gaps/0", "example", "names 'Bevia' of the prompt's invented example"),
        Flaw("key_actors/0/stance", "stance", "one word"),
    ]
    ask = revision_messages([{"role": "system", "content": "s"}, {"role": "user", "content": "u"}], b, flaws)[-1]
    assert "Bevia has offered" not in ask["content"] and "gaps_0: names 'Bevia'" in ask["content"]
    assert 'key_actors_0_stance (one word): "opposed"' in ask["content"]


def test_the_reask_asks_for_copies_and_numbered_indicators_afresh(seed_result):
    """Shown a copied sentence or an indicator made of sentence numbers, the small model wrote it back:
    the re-ask names the flaw and what to write instead, without the text."""
    from briefing.revise import revision_messages
    from briefing.verify.analytic import Flaw

    b = seed_result.briefing.model_copy(deep=True)
    copied = seed_result.article.sentences[0]
    b.key_judgments[0].statement = copied
    b.risks[0].indicators = ["S10, S11, S12"]
    flaws = [
        Flaw("key_judgments/0/statement", "copied", "copies article sentence S1 instead of assessing it"),
        Flaw("risks/0/indicators/0", "indicator", "'S10, S11, S12' is not an observable event in words"),
    ]
    ask = revision_messages([{"role": "system", "content": "s"}, {"role": "user", "content": "u"}], b, flaws)[-1]
    text = ask["content"]
    assert copied not in text and "S10, S11" not in text
    assert "key_judgments_0_statement: copies article sentence S1" in text and "what it means" in text
    assert (
        f'risks_0_indicators_0: sentence numbers are no indicator; write news that would show "{b.risks[0].title}"'
        in text
    )


def test_an_indicator_that_copies_an_article_sentence_is_flagged(seed_result):
    """Asked for after the evidence, the small model wrote the cited sentences as indicators, cut at 120."""
    b = seed_result.briefing.model_copy(deep=True)
    b.outlook[0].signposts = [seed_result.article.sentences[1][:119]]
    b.risks[0].indicators = ["North Korea announces a new missile test"]
    found = {f.path: f for f in analytic.find_flaws(b, seed_result.article)}
    assert "copies article sentence S2" in found["outlook/0/signposts/0"].reason
    assert "risks/0/indicators/0" not in found
