"""Programme pages: median server time of each with a large programme.

Figures: `web.programme_dashboard` (the dashboard, 30 runs), `web.page.programme.<page>`
(every other page of the programme area, each on its own: lists, details, forms, the
dependency list, the risk bands, the import page), `web.page.timeline` and the board pack.
10 workstreams, 2,000 milestones (1,000 dependencies between them), 1,000 risks and 36
months of accepted workstream updates, in a fresh, temporary SQLite database (DATABASE_URL
is ignored: the benchmark always fills its own temporary database). Server time is measured
in-process through Django's test client, so it covers URL routing, the view, its queries and
template rendering, but not the network.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _django import django_on_sqlite, median_ms
from _figures import figure

MILESTONES, DEPENDENCIES, RISKS, MONTHS, RUNS = 2_000, 1_000, 1_000, 36, 30


def populate() -> None:
    from stpkit.demo.partnership import load_partnership
    from stpkit.programme.rag import ORDER
    from stpkit.web.accounts.models import User
    from stpkit.web.board.models import ReportingPeriod, WorkstreamUpdate
    from stpkit.web.programme.models import Dependency, Milestone, Risk, Workstream

    rng = random.Random(2018)
    load_partnership()
    workstreams = list(Workstream.objects.all())
    for i, ws in enumerate(workstreams):
        ws.lead = User.objects.create(username=f"bench-lead-{i}", role="workstream_lead")
        ws.senior_responsible_officer = f"SRO {i}"
        ws.save()
    start = date(2017, 4, 1)
    milestones = []
    for i in range(MILESTONES):
        baseline = start + timedelta(days=rng.randrange(0, 1000))
        slip = rng.choice([0, 0, 0, 14, 30, 90])
        milestones.append(
            Milestone(
                workstream=workstreams[i % len(workstreams)],
                title=f"Milestone {i}",
                start_date=baseline - timedelta(days=rng.randrange(0, 120)),
                baseline_date=baseline,
                forecast_date=baseline + timedelta(days=slip),
                status=rng.choice(["not_started", "in_progress", "complete", "at_risk"]),
                owner=f"Owner {i % 37}",
            )
        )
    Milestone.objects.bulk_create(milestones, batch_size=500)
    ids = list(Milestone.objects.order_by("pk").values_list("pk", flat=True))
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < DEPENDENCIES:  # earlier id -> later id: never a cycle
        a, b = sorted(rng.sample(range(len(ids)), 2))
        pairs.add((ids[a], ids[b]))
    Dependency.objects.bulk_create(
        [Dependency(predecessor_id=a, successor_id=b) for a, b in pairs], batch_size=500
    )
    risks = []
    for i in range(RISKS):
        lk, cq = rng.randint(1, 5), rng.randint(1, 5)
        risks.append(
            Risk(
                workstream=None if i % 20 == 0 else workstreams[i % len(workstreams)],
                title=f"Risk {i}",
                likelihood=lk,
                consequence=cq,
                score=lk * cq,
                owner=f"Owner {i % 23}",
                status="open" if i % 5 else "closed",
            )
        )
    Risk.objects.bulk_create(risks, batch_size=500)
    updates = []
    for m in range(MONTHS):
        period = ReportingPeriod.objects.create(
            month=date(2017 + (3 + m) // 12, (3 + m) % 12 + 1, 1)
        )
        for ws in workstreams:
            updates.append(
                WorkstreamUpdate(
                    workstream=ws,
                    period=period,
                    confidence=rng.choice(ORDER).value,
                    narrative="Progress as planned. " * 20,
                    status="accepted",
                )
            )
    WorkstreamUpdate.objects.bulk_create(updates, batch_size=500)


PACK_RUNS = 5
PAGE_RUNS = 7


def programme_pages() -> dict[str, str]:
    """Every GET page of the programme area but the dashboard and the timeline (timed
    apart), on this programme's busiest workstream, milestone and risk."""
    from django.db.models import Count

    from stpkit.web.programme.models import Milestone, Risk, Workstream

    ws = Workstream.objects.annotate(n=Count("milestones")).order_by("-n").first()
    milestone = (
        Milestone.objects.annotate(
            n=Count("dependents", distinct=True) + Count("dependencies", distinct=True)
        )
        .order_by("-n")
        .first()
    )
    risk = Risk.objects.order_by("-score", "pk").first()
    assert ws is not None and milestone is not None and risk is not None
    return {
        "workstream": f"/programme/workstreams/{ws.slug}/",
        "workstream_edit": f"/programme/workstreams/{ws.slug}/edit/",
        "objective_new": f"/programme/workstreams/{ws.slug}/objectives/new/",
        "milestone_new": f"/programme/workstreams/{ws.slug}/milestones/new/",
        "milestones": "/programme/milestones/",
        "milestone": f"/programme/milestones/{milestone.pk}/",
        "milestone_edit": f"/programme/milestones/{milestone.pk}/edit/",
        "dependency_new": f"/programme/milestones/{milestone.pk}/dependencies/new/",
        "dependencies": "/programme/dependencies/",
        "risks": "/programme/risks/",
        "risk_new": "/programme/risks/new/",
        "risk_bands": "/programme/risks/bands/",
        "risk": f"/programme/risks/{risk.pk}/",
        "risk_edit": f"/programme/risks/{risk.pk}/edit/",
        "import": "/programme/import/",
    }


def each_page(client: object) -> None:
    """Each programme page's median server time, signed in as the programme office (who
    may open every form)."""
    for name, url in programme_pages().items():
        figure(f"web.page.programme.{name}", median_ms(client, url, PAGE_RUNS), "ms")


def board_pack(client: object) -> None:
    """The board update as Word and PDF for a meeting of this programme (RAG table and
    trend over 36 months, Gantt of the 40 milestones due soonest, escalated risks, the
    system and enablers sections as they stand, the audit witness) and the Gantt page of
    every milestone: the first request's server time and the median of the next five."""
    from stpkit.web.board.models import BoardMeeting
    from stpkit.web.board.services import generate_update

    meeting = BoardMeeting.objects.create(date=date(2020, 3, 2))
    generate_update(meeting=meeting, user=None)
    client.force_login(  # type: ignore[attr-defined]
        __import__("stpkit.web.accounts.models", fromlist=["User"]).User.objects.create(
            username="bench-office", role="programme_office"
        )
    )
    pages = {
        "web.page.board_pack_docx": "/programme/board/meetings/2020-03-02/update/docx/",
        "web.page.board_pack_pdf": "/programme/board/meetings/2020-03-02/update/pdf/",
        "web.page.timeline": "/programme/timeline/",
    }
    for name, url in pages.items():
        start = time.perf_counter()
        assert client.get(url).status_code == 200  # type: ignore[attr-defined]
        # The first request draws the charts; later ones (Word then PDF, or a second
        # download) reuse them, so both figures are printed.
        figure(f"{name}_first", (time.perf_counter() - start) * 1000, "ms")
        times = []
        for _ in range(PACK_RUNS):
            start = time.perf_counter()
            response = client.get(url)  # type: ignore[attr-defined]
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        figure(name, statistics.median(times), "ms")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        django_on_sqlite(Path(tmp) / "bench.sqlite3", data_dir=Path(tmp))
        from django.test import Client

        populate()
        from stpkit.web.accounts.models import User

        client = Client()
        client.force_login(User.objects.create(username="bench-board", role="board_member"))
        for _ in range(3):  # warm up: URL conf, templates, connections
            assert client.get("/programme/").status_code == 200
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.get("/programme/")
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        figure("web.programme_dashboard", statistics.median(times), "ms")
        board_pack(client)  # signs the client in as the programme office
        each_page(client)
        if os.environ.get("STPKIT_PROFILE"):
            import cProfile

            cProfile.runctx(
                "client.get('/programme/')", globals(), {"client": client}, sort="cumtime"
            )


if __name__ == "__main__":
    main()
