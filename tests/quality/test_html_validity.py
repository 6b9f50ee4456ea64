"""Valid HTML: the Nu Html Checker finds no error in any built page (one Java run for all),
with no message filtered: Material's markup is fixed in our output (tcsite/theme.py)."""

from collections import Counter

import quality_gates as gates


def test_every_page_is_valid_html(site, quality_tools, quality_report):
    files = sorted(site.rglob("*.html"))
    report = gates.vnu_check(files, relative_to=site)
    if report.warnings:
        quality_report.append((f"vnu: {len(report.warnings)} warning(s)",
                               "\n".join(map(str, report.warnings))))
    notes = Counter(m.message for m in report.infos)
    if notes:
        quality_report.append(("vnu: info messages",
                               "\n".join(f"{n:4d} x {message}" for message, n in notes.most_common())))
    assert len(files) > 1
    assert not report.errors, f"{len(report.errors)} HTML error(s):\n" + "\n".join(map(str, report.errors))
