"""System view: a year of national files for every provider in England, and the pages of
the three gaps and an SPC chart with 200 measures of five years of monthly data."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _django import django_on_sqlite, median_ms
from _figures import figure, timed

from stpkit.system import england, read_national_file
from stpkit.system.ods import read_ods_file
from stpkit.system.synthetic import (
    WRITERS,
    file_name,
    months,
    ods_files,
    rtt_file,
    write_national_files,
)

MEASURES = 200
YEARS = 5
REPEATS = 15


def _month(path: Path) -> date | None:
    """The month of a DM01 file (its layout has no period column) from its name."""
    return date.fromisoformat(path.stem[5:] + "-01") if path.name.startswith("dm01") else None


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        django_on_sqlite(Path(tmp) / "bench.sqlite3")
        from django.test import Client

        from stpkit.demo.system import load_measures
        from stpkit.web.accounts.models import User
        from stpkit.web.system import services
        from stpkit.web.system.models import Measure, MeasureValue

        load_measures()
        orgs = england()
        year = months(date(2017, 4, 1), 12)
        folder = Path(tmp) / "national"
        files = write_national_files(folder, year, orgs, layouts=[k for k in WRITERS if k != "rtt"])
        # RTT at the published full CSV's scale (every commissioner and treatment function,
        # about 160,000 rows a month): one month generated, relabelled for the other eleven
        full = rtt_file(year[0], orgs, full_scale=True)
        first = f"RTT-{year[0]:%B}-{year[0].year}"
        for month in year:
            path = folder / file_name("rtt", month)
            path.write_text(full.replace(first, f"RTT-{month:%B}-{month.year}"), encoding="utf-8")
            files.append(path)
        size = sum(p.stat().st_size for p in files) / 1e6
        print(f"{len(files)} files, {size:.0f} MB, {len(orgs)} organisations")
        # The organisation list in NHS Digital's ODS layout, through the ODS reader (not timed
        # with the national files: it is loaded once, not every month)
        lists = ods_files(orgs)
        with timed() as t:
            services.load_organisations(
                [read_ods_file(name, text) for name, text in lists.items()], user=None
            )
        print(f"ODS list: {len(orgs)} organisations loaded in {t[0]:.2f} s")
        with timed() as t:
            known, dates = services.known_orgs(), services.open_dates()
            parsed = [
                read_national_file(
                    p.name, p.read_bytes(), known_orgs=known, period=_month(p), open_dates=dates
                )
                for p in files
            ]
            services.load_national_files(parsed, user=None, replace=False)
        figure("system.national_import_year", t[0], "s")

        # 200 measures x 5 years of monthly values: the catalogue plus synthetic measures
        base = list(Measure.objects.all())
        extra = MEASURES - len(base)
        template = Measure.objects.get(code="rtt_18wk")
        for i in range(extra):
            template.pk = None
            template.code = f"bench_{i:03d}"
            template.name = f"Benchmark measure {i}"
            template.gap = ("health_wellbeing", "care_quality", "funding_efficiency")[i % 3]
            template.save()
        periods = months(date(2015, 4, 1), 12 * YEARS)
        MeasureValue.objects.filter(period__lt=date(2017, 4, 1)).delete()
        existing = set(MeasureValue.objects.values_list("measure_id", "period"))
        MeasureValue.objects.bulk_create(
            (
                MeasureValue(measure=m, period=p, planned=90.0, actual=85 + (i * 7 + j) % 10)
                for i, m in enumerate(Measure.objects.all())
                for j, p in enumerate(periods)
                if (m.pk, p) not in existing
            ),
            batch_size=5000,
        )
        print(f"{Measure.objects.count()} measures, {MeasureValue.objects.count()} monthly values")
        user = User.objects.create(username="bench-board", role="board_member")
        client = Client()
        client.force_login(user)
        figure(
            "web.page.system_gaps",
            median_ms(client, "/programme/system/gaps/", repeats=REPEATS),
            "ms",
        )
        if os.environ.get("SYSTEM_PROFILE"):
            import cProfile
            import pstats

            for _url in ("/programme/system/gaps/", "/programme/system/measures/ae_4hr/"):
                cProfile.runctx("client.get(_url)", globals(), locals(), "/tmp/sys.prof")
                pstats.Stats("/tmp/sys.prof").sort_stats("cumulative").print_stats(30)
        figure(
            "web.page.system_measure",
            median_ms(client, "/programme/system/measures/ae_4hr/", repeats=REPEATS),
            "ms",
        )


if __name__ == "__main__":
    main()
