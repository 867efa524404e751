"""Decisions: a large service change carried through the workflow, timed.

The Kent and Medway stroke programme with the stroke model's whole long list (every
configuration of one to seven HASUs at the seven sites: 127, and today), its computed
hurdles and sift, six weighted criteria, a panel round of ten scorers scoring the short
list, and seed 004's timeline, in a fresh temporary SQLite database (DATABASE_URL is
ignored). Everything goes through `stpkit.web.decisions.services`, so each step carries its
rule checks and its audit record. Server times are measured in-process with Django's test
client (routing, view, queries, templates; not the network).

Figures:
- decisions.longlist_127: stroke model long list of 127 configurations + today, evaluated
  and imported as options with their metrics (s)
- decisions.hurdle_sift_128: computed hurdles checked and the long list sifted (s)
- decisions.panel_scores: scores submitted by ten scorers, one audited save each (count)
- decisions.results_page: median server time of the results page (weighted totals,
  switching values, 2,000 Monte Carlo draws) (ms)
- decisions.history_page: median server time of the programme's audit trail (ms)
- decisions.pcbc_pack: PCBC options appraisal chapter written with its four charts (funnel,
  ranking, a Gantt chart per timeline scenario) (s)
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _django import django_on_sqlite, median_ms
from _figures import figure, timed

SCORERS, RUNS = 10, 10
CRITERIA = [
    ("quality", "outcomes", "Clinical outcomes", 20.0),
    ("quality", "standards", "Meets national standards", 10.0),
    ("access", "access", "Travel times", 20.0),
    ("workforce", "workforce", "Workforce", 20.0),
    ("deliverability", "deliverability", "Deliverability", 15.0),
    ("affordability", "affordability", "Affordability", 15.0),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        django_on_sqlite(Path(tmp) / "bench.sqlite3")
        from django.test import Client

        from stpkit.demo import decisions as demo
        from stpkit.demo.partnership import load_partnership
        from stpkit.web.accounts.models import User
        from stpkit.web.core.audit import audited_save
        from stpkit.web.decisions import packs, services, stroke_source
        from stpkit.web.decisions.models import EvaluationCriterion, HurdleCriterion

        load_partnership()
        p = demo.people()
        office, board = p["office"], p["board"]
        prog = services.create_programme(
            name="Stroke (benchmark)", slug="stroke-bench", process_key="stroke", owners=demo.OWNERS
        )
        demo._roles(prog, p)
        stroke_source.model_for(demo.REGION)  # the geography: built or read from its cache
        demo._front_stages(prog, p, "Case for change", date(2017, 3, 1))
        for i, rule in enumerate(stroke_source.hurdle_bounds()):
            audited_save(
                HurdleCriterion(
                    programme=prog,
                    order=i,
                    name=rule.name,
                    metric=rule.metric,
                    minimum=rule.minimum,
                    maximum=rule.maximum,
                ),
                office,
            )
        services.sign_off(stage=prog.stages.get(key="hurdle_criteria"), user=office)
        for group, key, name, _ in CRITERIA:
            audited_save(
                EvaluationCriterion(programme=prog, group=group, key=key, name=name), office
            )
        services.set_weights(prog=prog, user=office, weights={k: w for _, k, _, w in CRITERIA})
        services.lock_weights(prog=prog, user=office)
        services.sign_off(stage=prog.stages.get(key="evaluation_criteria"), user=board)

        with timed() as t:
            options = stroke_source.long_list_options(demo.REGION, range(1, 8))
            n = services.import_options(prog=prog, user=office, options=options, scope=demo.REGION)
        print(f"{n} options imported")
        figure("decisions.longlist_127", t[0], "s")
        services.sign_off(stage=prog.stages.get(key="long_list"), user=office)

        with timed() as t:
            services.apply_computed_hurdles(prog=prog, user=office)
            kept, rejected = services.sift(prog=prog, user=office)
        print(f"sift: {kept} forward, {rejected} rejected")
        figure("decisions.hurdle_sift_128", t[0], "s")
        services.sign_off(stage=prog.stages.get(key="hurdle_sift"), user=board)
        demo.load_timeline(prog, office)  # seed 004's two scenarios, for the pack's Gantt charts

        scorers = [
            User.objects.create(username=f"bench-scorer-{i}", role="analyst")
            for i in range(SCORERS)
        ]
        rnd = services.open_round(prog=prog, user=office, scorers=scorers)
        short = services.candidate_options(prog)
        rng = random.Random(2017)
        total = 0
        for scorer in scorers:
            marks = {
                (o.code, key): (float(rng.randint(3, 9)), "")
                for o in short
                for _, key, _, _ in CRITERIA
            }
            total += services.submit_scores(rnd=rnd, scorer=scorer, scores=marks)
        services.close_round(rnd=rnd, user=office)
        figure("decisions.panel_scores", total, "count")
        print(f"{len(short)} short-listed options x {len(CRITERIA)} criteria x {SCORERS} scorers")

        client = Client()
        client.force_login(board)
        figure(
            "decisions.results_page",
            median_ms(client, f"/decisions/p/{prog.slug}/results/", repeats=RUNS, warm=2),
            "ms",
        )
        figure(
            "decisions.history_page",
            median_ms(client, f"/decisions/p/{prog.slug}/history/", repeats=RUNS, warm=2),
            "ms",
        )
        times = []
        for _ in range(3):
            with timed() as t:
                data, _ = packs.build(prog, "pcbc")
            times.append(t[0])
        print(f"PCBC chapter: {len(data):,} bytes")
        figure("decisions.pcbc_pack", statistics.median(times), "s")


if __name__ == "__main__":
    main()
