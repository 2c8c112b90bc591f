"""A realistic daily brief, made by `briefing digest` itself against the loopback LLM server.

The server answers with briefings written for the articles (their evidence numbers point at the
right sentences, so the verifier grounds them as it would a good model's answer) and with a cover
that cites the stories by the numbers the cover prompt gave them. Today's brief has three stories in
two groups: the Korea seed article (the full briefing's answer), the grain-corridor wire story from
two outlets (merged: one story, two sources) and an EU gas-storage story; one input that fails (a
missing file); and --previous yesterday's brief, which had the Korea story with lower risks (so one
rose and one fell) and a story that has since dropped out.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

from tests.articles import make_article
from tests.conftest import FIXTURES, ROOT
from tests.llm_server import Reply, schema_instance_for

DATE = "2026-03-04"
TITLE = "Morning brief"
STORY_COUNT = 3
MISSING = "inbox/sahel-update.html"
KOREA_UPDATE = (
    "On Wednesday, South Korea's defence ministry said North Korea had moved mobile missile launchers "
    "closer to its east coast overnight."
)  # today's text is yesterday's, updated

GRAIN = {
    "title": "End of the Black Sea grain corridor puts food importers in North Africa and the Middle East at risk",
    "bluf": "With the corridor lapsed over Russia's SWIFT demand, **grain prices will stay volatile** and "
    "import-dependent states such as Egypt, Lebanon and Kenya face higher food bills within weeks.",
    "summary": "Talks in Istanbul ended on Tuesday without renewing the Black Sea grain corridor, which had moved more "
    "than 30 million tonnes of Ukrainian grain. Turkish mediators said the talks failed over Russia's demand "
    "to reconnect its agricultural bank to SWIFT. Wheat futures rose four percent, and the UN "
    "secretary-general pledged to keep working to restore the deal.",
    "key_judgments": [
        {
            "statement": "Russia is using the corridor as leverage to win relief from financial sanctions on its agricultural bank.",
            "likelihood": "likely",
            "confidence": "moderate",
            "evidence": [2],
        },
        {
            "statement": "Import-dependent states in North Africa, the Middle East and East Africa will face higher food import costs within weeks.",
            "likelihood": "very likely",
            "confidence": "high",
            "evidence": [4, 5],
        },
        {
            "statement": "Turkey and the United Nations remain the only credible mediators for a revived deal.",
            "likelihood": "likely",
            "confidence": "moderate",
            "evidence": [2, 6],
        },
    ],
    "key_actors": [
        {
            "name": "Russia",
            "kind": "state",
            "role": "Party to the corridor talks",
            "stance": "Conditions renewal on reconnecting its agricultural bank to the SWIFT payment system.",
            "evidence": [2, 1],
            "quotes": [],
        },
        {
            "name": "Ukraine",
            "kind": "state",
            "role": "Exporter whose ports the corridor served",
            "stance": "Loses its main protected sea route for grain exports.",
            "evidence": [1],
            "quotes": [],
        },
        {
            "name": "Ibrahim Kalin",
            "kind": "person",
            "role": "Turkish intelligence chief; chaired the final session",
            "stance": "Mediator; says the gap between the sides was too wide to bridge for now.",
            "evidence": [3],
            "quotes": [{"text": "We tried every formula, but the gap was too wide", "speaker": "Ibrahim Kalin"}],
        },
        {
            "name": "Antonio Guterres",
            "kind": "person",
            "role": "Secretary-general of the United Nations",
            "stance": "Will keep working to restore the corridor; urges both sides to spare civilian shipping.",
            "evidence": [6],
            "quotes": [],
        },
    ],
    "risks": [
        {
            "title": "Food price shock in import-dependent states",
            "description": "Higher wheat prices pass through to bread and subsidy bills in Egypt, Lebanon and Kenya, "
            "straining budgets and raising the risk of unrest.",
            "likelihood": "likely",
            "impact": "high",
            "timeframe": "next weeks",
            "indicators": [
                "Wheat futures stay above pre-collapse levels",
                "Emergency grain tenders or subsidy rises in Egypt",
            ],
            "evidence": [4, 5],
        },
        {
            "title": "Attacks on civilian shipping in the Black Sea",
            "description": "Without the corridor's guarantees, merchant vessels near Ukrainian ports could be targeted, "
            "closing the sea route entirely.",
            "likelihood": "roughly even chance",
            "impact": "severe",
            "timeframe": "next 3 months",
            "indicators": ["Insurers withdraw war-risk cover for Black Sea voyages", "Strikes on port infrastructure"],
            "evidence": [6, 1],
        },
    ],
    "outlook": [
        {
            "development": "Turkey and the UN keep shuttle diplomacy going, but no renewal is agreed while the SWIFT question is open.",
            "likelihood": "likely",
            "signposts": ["A new round announced in Istanbul", "Any EU move on Russian agricultural bank access"],
            "evidence": [2, 6],
        },
        {
            "development": "Ukraine diverts more grain to rail and Danube routes at higher cost.",
            "likelihood": "roughly even chance",
            "signposts": ["Rising Danube port volumes"],
            "evidence": [1],
        },
    ],
    "gaps": [
        "How much grain is still waiting in Ukrainian ports is not reported.",
        "Russia's own account of the talks is not quoted.",
    ],
}

GAS = {
    "title": "Lower EU gas storage target eases summer buying pressure but leaves Central Europe exposed",
    "bluf": "Cutting the storage target to 83 percent should **take the edge off summer LNG competition**, but with "
    "reserves at 31 percent and supply tight until 2027, a pipeline outage would hit Hungary and Slovakia first.",
    "summary": "EU energy ministers lowered the binding 1 November gas storage target from 90 to 83 percent after a cold "
    "February drained reserves to 31 percent. The Commission argues a lower target stops member states "
    "bidding against each other for LNG; Hungary and Slovakia voted against, fearing exposure if Russian "
    "flows through Turkey stop. Prices rose 6 percent on the news; Germany will still aim for 90 percent, "
    "and the European Parliament votes in April.",
    "key_judgments": [
        {
            "statement": "The lower target will damp price spikes from simultaneous summer buying, but not the underlying tightness of the LNG market.",
            "likelihood": "likely",
            "confidence": "moderate",
            "evidence": [3, 7],
        },
        {
            "statement": "Germany's decision to keep filling to 90 percent will absorb part of the relief the lower target is meant to give.",
            "likelihood": "roughly even chance",
            "confidence": "low",
            "evidence": [8],
        },
        {
            "statement": "The European Parliament will approve the lower target in April.",
            "likelihood": "likely",
            "confidence": "moderate",
            "evidence": [10],
        },
    ],
    "key_actors": [
        {
            "name": "European Commission",
            "kind": "organisation",
            "role": "Proposed the lower target",
            "stance": "Wants to stop member states competing for LNG cargoes and driving up prices.",
            "evidence": [3],
            "quotes": [],
        },
        {
            "name": "Marta Keller",
            "kind": "person",
            "role": "The Commission's energy spokeswoman",
            "stance": "Presents the cut as security policy, not a concession to sellers.",
            "evidence": [4],
            "quotes": [
                {
                    "text": "A target that forces everyone to buy at the same moment is a gift to sellers, not a security policy",
                    "speaker": "Marta Keller",
                }
            ],
        },
        {
            "name": "Hungary",
            "kind": "state",
            "role": "Voted against the change",
            "stance": "Fears exposure without LNG terminals if Russian pipeline flows through Turkey stop.",
            "evidence": [5],
            "quotes": [],
        },
        {
            "name": "Jonas Weber",
            "kind": "person",
            "role": "Germany's economy minister",
            "stance": "Germany will still fill its storage to 90 percent.",
            "evidence": [8, 9],
            "quotes": [{"text": "We will not gamble with next winter", "speaker": "Jonas Weber"}],
        },
    ],
    "risks": [
        {
            "title": "Supply shortfall in landlocked Central Europe",
            "description": "An interruption of Russian pipeline flows through Turkey would leave Hungary and Slovakia short, "
            "with no LNG terminals to make up the loss.",
            "likelihood": "unlikely",
            "impact": "severe",
            "timeframe": "next winter",
            "indicators": ["Halts on the pipeline route through Turkey", "Requests for emergency solidarity gas"],
            "evidence": [5],
        },
        {
            "title": "Renewed gas price rally",
            "description": "Tight global LNG supply until 2027 and low reserves could push TTF prices higher through the "
            "summer, feeding inflation.",
            "likelihood": "likely",
            "impact": "moderate",
            "timeframe": "summer 2026",
            "indicators": ["TTF above 50 euros per megawatt hour", "Asian buyers outbidding Europe for cargoes"],
            "evidence": [6, 7, 2],
        },
        {
            "title": "Split over energy solidarity",
            "description": "Member states without LNG access may block other energy files if they feel left exposed.",
            "likelihood": "roughly even chance",
            "impact": "moderate",
            "timeframe": "next months",
            "indicators": ["Parliament amendments restoring the 90 percent target"],
            "evidence": [5, 10],
        },
    ],
    "outlook": [
        {
            "development": "Member states fill storage more slowly through the summer, ending near the new 83 percent target.",
            "likelihood": "likely",
            "signposts": ["Fill-rate data from Gas Infrastructure Europe in June"],
            "evidence": [1, 2],
        },
        {
            "development": "The European Parliament approves the target in April, possibly with a review clause.",
            "likelihood": "likely",
            "signposts": ["Committee vote in late March"],
            "evidence": [10],
        },
    ],
    "gaps": [
        "How the 83 percent figure was chosen is not explained.",
        "The cost to Germany of filling to 90 percent is not estimated.",
    ],
}

DRONES = {
    "title": "Drone incursions push Marrow and Jorvik towards a diplomatic rupture",
    "bluf": "Recalled ambassadors and sanctions talk make a negotiated settlement of the drone dispute less likely this month.",
    "summary": "Officials in Marrow and Jorvik traded accusations over drone incursions; an ambassador was recalled and "
    "further sanctions are under review.",
    "key_judgments": [
        {
            "statement": "Neither side is ready to de-escalate.",
            "likelihood": "likely",
            "confidence": "low",
            "evidence": [4],
        }
    ],
    "key_actors": [
        {
            "name": "Marco Nielsen",
            "kind": "person",
            "role": "Official",
            "stance": "Hard line on incursions.",
            "evidence": [12],
            "quotes": [],
        }
    ],
    "risks": [
        {
            "title": "Sanctions escalation",
            "description": "Further sanctions follow the recall of the ambassador.",
            "likelihood": "roughly even chance",
            "impact": "moderate",
            "timeframe": "next weeks",
            "indicators": ["New sanctions announced"],
            "evidence": [8],
        }
    ],
    "outlook": [{"development": "Talks resume next week.", "likelihood": "unlikely", "signposts": [], "evidence": [6]}],
    "gaps": [],
}

COVER = {
    "headline": "Diplomacy failed on two fronts overnight; food and energy buffers are thinner going into summer",
    "bluf": "The collapse of inter-Korean talks makes **North Korean weapons tests very likely within weeks**, and the "
    "lapse of the Black Sea grain corridor will raise food import bills in North Africa and the Middle East. "
    "The EU's lower gas storage target eases summer buying but leaves Central Europe exposed to a supply shock.",
    "top_lines": [
        {
            "line": "Expect North Korean weapons tests and allied counter-drills within weeks; no channel is open to manage escalation.",
            "stories": ["korea"],
        },
        {
            "line": "The grain corridor has lapsed over Russia's SWIFT demand: wheat is up and Egypt, Lebanon and Kenya are most exposed.",
            "stories": ["grain"],
        },
        {
            "line": "EU gas reserves stand at 31 percent; the lower 83 percent target trades price relief for thinner winter cover.",
            "stories": ["gas"],
        },
        {
            "line": "Grain and gas prices rising together would add to inflation in importing economies.",
            "stories": ["grain", "gas"],
        },
    ],
    "top_risks": [
        {
            "title": "Military miscalculation on the Korean peninsula",
            "description": "Weapons tests and allied exercises in close succession raise the risk of an incident that "
            "escalates with no channel to defuse it.",
            "likelihood": "unlikely",
            "impact": "severe",
            "stories": ["korea"],
        },
        {
            "title": "Food price shock in import-dependent states",
            "description": "Higher wheat prices pass through to bread subsidies and budgets in Egypt, Lebanon and Kenya.",
            "likelihood": "likely",
            "impact": "high",
            "stories": ["grain"],
        },
        {
            "title": "Gas supply shortfall in Central Europe",
            "description": "A halt in Russian flows through Turkey would hit Hungary and Slovakia, which lack LNG terminals.",
            "likelihood": "unlikely",
            "impact": "severe",
            "stories": ["gas"],
        },
        {
            "title": "Commodity-driven inflation",
            "description": "Grain and gas prices rising together would add to inflation across importing economies.",
            "likelihood": "roughly even chance",
            "impact": "moderate",
            "stories": ["grain", "gas"],
        },
    ],
    "watch": [
        {"item": "North Korean launch notices or state-media statements on 'countermeasures'.", "stories": ["korea"]},
        {"item": "Any date for a new round of grain talks in Istanbul.", "stories": ["grain"]},
        {"item": "Wheat and TTF gas prices at today's close.", "stories": ["grain", "gas"]},
        {"item": "Statements from Budapest and Bratislava on challenging the storage decision.", "stories": ["gas"]},
    ],
    "groups": [
        {"name": "East Asia", "stories": ["korea"]},
        {"name": "Europe and the Black Sea", "stories": ["grain", "gas"]},
    ],
}

# Which story a request is about: a phrase only its article (or its cover entry) contains.
_KEYS = {"korea": "Korea", "grain": "grain corridor", "gas": "gas storage", "drones": "Marrow and Jorvik"}


def _korea(day: int) -> dict:
    """The full briefing's answer; yesterday's had two of its risks lower and one higher."""
    answer = json.loads((FIXTURES / "full-briefing.json").read_text(encoding="utf-8"))["briefing"]
    answer = _strip_checks(answer)
    if day == 1:
        risks = {r["title"]: r for r in answer["risks"]}
        risks["Resumed weapons testing"].update(likelihood="likely", impact="moderate")
        risks["Strain on allied diplomacy"].update(likelihood="likely")
    return answer


def _strip_checks(node):
    """A model's answer: without the fields the verifier fills."""
    if isinstance(node, dict):
        return {k: _strip_checks(v) for k, v in node.items() if k not in ("check", "verified", "translation")}
    if isinstance(node, list):
        return [_strip_checks(v) for v in node]
    return node


def responder(day: int):
    """The loopback server's answers for day 1 (yesterday) or day 2 (today)."""
    answers = {"korea": _korea(day), "grain": GRAIN, "gas": GAS, "drones": DRONES}

    def respond(request):
        schema = request.body["response_format"]["json_schema"]["name"]
        text = "\n".join(m["content"] for m in request.body["messages"] if m["role"] == "user")
        if schema == "cover":
            numbers = {}
            for number, title in re.findall(r"^\[(\d+)\] (.+)$", text, flags=re.M):
                key = next(k for k, answer in answers.items() if answer["title"] == title.strip())
                numbers[key] = int(number)
            if day == 1:
                return Reply(content=json.dumps(schema_instance_for(request.body)))
            cover = copy.deepcopy(COVER)
            for item in [*cover["top_lines"], *cover["top_risks"], *cover["watch"], *cover["groups"]]:
                item["stories"] = [numbers[k] for k in item["stories"]]
            return Reply(content=json.dumps(cover))
        key = next(k for k, phrase in _KEYS.items() if phrase in text)
        return Reply(content=json.dumps(answers[key]))

    return respond


def build_sample_digest(cli, llm, folder: Path, *formats: str) -> Path:
    """Make yesterday's and today's brief in `folder`; today's is saved as `formats` (json always).

    Returns the folder of today's outputs: daily-brief-<DATE>.<format>.
    """
    day1, day2, out = folder / "day1", folder / "day2", folder / "out"
    day1.mkdir(parents=True)
    shutil.copy(ROOT / "seeds" / "korea-talks-collapse.txt", day1 / "korea-talks-collapse.txt")
    (day1 / "marrow-jorvik.txt").write_text(make_article(0), encoding="utf-8")
    day2.mkdir()
    korea = (ROOT / "seeds" / "korea-talks-collapse.txt").read_text(encoding="utf-8")
    (day2 / "korea-talks-collapse.txt").write_text(korea.rstrip() + "\n\n" + KOREA_UPDATE + "\n", encoding="utf-8")
    shutil.copy(FIXTURES / "wire-outlet-a.html", day2 / "harbour-times-grain.html")
    shutil.copy(FIXTURES / "wire-outlet-b.html", day2 / "coastal-courier-grain.html")
    shutil.copy(FIXTURES / "gas-storage.html", day2 / "gas-storage.html")

    llm.respond = responder(1)
    first = cli(
        "digest",
        day1,
        "-f",
        "json",
        "-o",
        folder / "yesterday.json",
        "--date",
        "2026-03-03",
        "--title",
        TITLE,
        "--base-url",
        llm.url,
    )
    assert first.exit_code == 0, first.stderr
    llm.respond = responder(2)
    fmts = [a for f in dict.fromkeys(["json", *formats]) for a in ("-f", f)]
    today = cli(
        "digest",
        day2,
        folder / MISSING,
        *fmts,
        "-o",
        f"{out}/",
        "--date",
        DATE,
        "--title",
        TITLE,
        "--previous",
        folder / "yesterday.json",
        "--base-url",
        llm.url,
    )
    assert today.exit_code == 3, today.stderr  # one input failed
    return out


def make_hostile(digest):
    """`digest` with its text replaced by attacks on the handout wherever a digest carries text of its own
    (cover, groups, outlets, failures, changes), and its first story's briefing by hostile_result()'s."""
    from tests.conftest import PWNED, hostile_result

    run = f"document.title='{PWNED}'"
    digest = digest.model_copy(deep=True)
    digest.title = f"</title><script>{run}</script>Brief"
    cover = digest.cover
    cover.headline = f'<img src="https://evil.example/h.png" onerror="{run}">'
    cover.bluf = f"[click](javascript:{run}) <script>{run}</script> ![x](https://evil.example/b.png)"
    cover.top_lines[0].line = f'<a href="javascript:{run}">line</a><iframe src="https://evil.example/i"></iframe>'
    cover.top_risks[0].title = f'<svg onload="{run}">'
    cover.top_risks[0].description = "<style>body{background:url(https://evil.example/r.png)}</style>"
    cover.watch[0].item = f'<details open ontoggle="{run}">x</details>'
    cover.groups[0].name = f"<script>{run}</script>"
    story = digest.stories[0]
    story.group = cover.groups[0].name
    story.result = hostile_result()
    story.sources[0].title = f"<script>{run}</script>"
    story.sources[0].outlet = f'<img src=x onerror="{run}">'
    story.sources[0].author = "<a href='javascript:alert(1)'>a</a>"
    story.sources[0].source = "javascript:alert(1)"
    digest.stories[1].sources[1].outlet = "<object data='https://evil.example/o'></object>"
    digest.failures[0].source = f'"><script>{run}</script>'
    digest.failures[0].error = f'<img src=https://evil.example/f.png onerror="{run}">'
    digest.failures[0].duplicates = ["<base href='https://evil.example/'>"]
    digest.cover_note = f"<script>{run}</script>"
    changes = digest.changes
    changes.previous_title = f"<script>{run}</script>"
    changes.dropped[0].title = f'[x](javascript:{run})<img src=x onerror="{run}">'
    changes.risks_rose[0].risk = "<meta http-equiv=refresh content='0;url=https://evil.example/'>"
    return digest
