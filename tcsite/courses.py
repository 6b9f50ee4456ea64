"""The course catalogue, compiled from ``docs/courses/`` (one file per course and language).

Every course file (``docs/courses/<slug>.md`` and its twin ``<slug>.es.md``; ``index.md`` is
the catalogue page itself) is read and validated once per build against
``schema.COURSE_FIELDS``. This module also knows what a course *is* beyond its front matter:
its status on the build date, its related courses and its schema.org description.

It knows nothing of MkDocs; ``course_pages.py`` gives the templates their context and
``plugin.py`` wires both into the build.

Status of a course on a day (``status``), the rules in order:

1. it has an ``end`` and that day is past: **closed** (it ended yesterday: closed; it ends
   today: still open);
2. it has a ``start`` and that day is still to come: **upcoming** (it starts tomorrow:
   upcoming; it starts today: open);
3. it has a ``start`` or an ``end`` (and neither rule above applies): **open**;
4. it has no dates: **open** with ``open_enrolment: true``; otherwise its status is unknown
   (``None``): we know of no session, neither open nor closed, and the pages show no status
   for it. The registration button still leads to the eLearning Campus, where new sessions
   are published.

``open_enrolment`` therefore only matters for a course without dates; the dates of a session
always win.

The build date is the day of ``SOURCE_DATE_EPOCH`` (UTC) when that variable is set, which keeps
the statuses of a build reproducible (tests set it), and today otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from tcsite import i18n, pictures
from tcsite.content import Document, Record, read_document
from tcsite.content_files import regular, within
from tcsite.data_files import COURSE_MODES  # schema.org courseMode of each format, checked with data/formats.yml
from tcsite.schema import COURSE_FIELDS, twin_mismatches, validate, vocabulary
from tcsite.validation import ContentError, Problem

COURSES_PATH = "courses/"
CATALOGUE_NAME = "index.md"
STATUSES = ("open", "upcoming", "closed")  # also the order of the catalogue (unknown last)
PROVIDER_NAME = "UN Women Training Centre"
PRICE_CURRENCY = "USD"  # a figure in 'cost:' is in US dollars
RELATED_LIMIT = 3


@dataclass
class Course(Record):
    @property
    def summary(self) -> str:
        return self.meta.get("summary") or ""

    @property
    def topics(self) -> list[str]:
        return list(self.meta.get("topics") or [])

    @property
    def languages(self) -> list[str]:
        return list(self.meta.get("languages") or [])

    @property
    def format(self) -> str | None:
        return self.meta.get("format")

    @property
    def start(self) -> dt.date | None:
        return self.meta.get("start")

    @property
    def end(self) -> dt.date | None:
        return self.meta.get("end")

    @property
    def open_enrolment(self) -> bool:
        return bool(self.meta.get("open_enrolment"))

    @property
    def free(self) -> bool:
        cost = self.meta.get("cost")
        return cost == "free" or (cost is not None and not isinstance(cost, str) and cost == 0)

    @property
    def path(self) -> str:
        """Language-neutral URL path: ``courses/i-know-gender/``."""
        return f"{COURSES_PATH}{self.slug}/"


@dataclass
class Catalogue:
    courses: list[Course] = field(default_factory=list)

    def in_language(self, lang: str, fallback: str | None = None) -> list[Course]:
        """The courses of one language, by title; with ``fallback`` (the default language, for a
        language in progress), every course not translated yet too, in that language's text."""
        chosen = [c for c in self.courses if c.lang == lang]
        if fallback:
            have = {c.key for c in chosen}
            chosen += [c for c in self.courses if c.lang == fallback and c.key not in have]
        return sorted(chosen, key=lambda c: c.title.casefold())

    def get(self, lang: str, slug: str, fallback: str | None = None) -> Course | None:
        found = next((c for c in self.courses if c.lang == lang and c.slug == slug), None)
        return found or (self.get(fallback, slug) if fallback else None)

    def sources(self) -> set[Path]:
        return {c.doc.path.resolve() for c in self.courses}

    def related(self, course: Course, limit: int = RELATED_LIMIT, lang: str | None = None,
                fallback: str | None = None) -> list[Course]:
        """Courses sharing a topic, most shared topics first, in ``lang`` (the course's own by
        default; see ``in_language`` for ``fallback``)."""
        mine = set(course.topics)
        scored = [
            (len(mine & set(other.topics)), other)
            for other in self.in_language(lang or course.lang, fallback)
            if other.key != course.key
        ]
        scored = [(shared, other) for shared, other in scored if shared]
        scored.sort(key=lambda pair: (-pair[0], pair[1].title.casefold()))
        return [other for _, other in scored[:limit]]


def course_files(docs_dir: Path, codes: list[str]) -> list[Path]:
    """Every course file in every language: ``docs/courses/*.md`` except the catalogue page."""
    folder = docs_dir / COURSES_PATH
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.glob("*.md")) if regular(p) and not is_catalogue_file(p.name, codes)]


def is_catalogue_file(name: str, codes: list[str]) -> bool:
    """``index.md`` and its translations (``index.es.md``) are the catalogue page."""
    return name == CATALOGUE_NAME or name in {f"index.{code}.md" for code in codes}


def load_courses(docs_dir: Path, root: Path, codes: list[str], default: str) -> Catalogue:
    """Read and validate every course; raises ContentError listing every problem found."""
    problems: list[Problem] = []
    courses: list[Course] = []
    for path in course_files(docs_dir, codes):
        try:
            doc = read_document(path, root, codes, default)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        found = validate(doc, COURSE_FIELDS) + _date_order(doc) + _image_problems(doc, docs_dir)
        problems.extend(found)
        if not found:
            courses.append(Course(doc, slug=Path(doc.key).stem))
    problems.extend(twin_mismatches(courses, default, COURSE_FIELDS))
    if problems:
        raise ContentError(problems)
    return Catalogue(courses)


def _date_order(doc: Document) -> list[Problem]:
    start, end = doc.meta.get("start"), doc.meta.get("end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        return [doc.problem("end", f"the course ends ({end}) before it starts ({start})",
                            "check 'start' and 'end'")]
    return []


def image_file(doc: Document, docs_dir: Path) -> Path | None:
    """Where a course's ``image:`` is (a path below docs/), or None: never outside docs/."""
    image = doc.meta.get("image")
    if not isinstance(image, str) or not image:
        return None
    path = docs_dir / image.lstrip("/")
    return path if within(path, docs_dir) else None


def _image_problems(doc: Document, docs_dir: Path) -> list[Problem]:
    image = doc.meta.get("image")
    if isinstance(image, str) and image:
        path = image_file(doc, docs_dir)
        if path is None or not path.is_file():
            where = "outside docs/" if path is None else "not in docs/"
            return [doc.problem("image", f"the image {image} is {where}",
                                "give its path below docs/, e.g. assets/images/courses/name.jpg")]
        return pictures.lead_problems(doc, path)
    return []



# --- status and build date ---------------------------------------------------------------


def status(course: Course, today: dt.date) -> str | None:
    """``"open"``, ``"upcoming"`` or ``"closed"`` on ``today``, or None when no session is known
    (rules in the module's docstring)."""
    start, end = course.start, course.end
    if end is not None and end < today:
        return "closed"
    if start is not None and start > today:
        return "upcoming"
    if start is not None or end is not None:
        return "open"
    return "open" if course.open_enrolment else None


def status_order(state: str | None) -> int:
    """Where a status comes in the catalogue: open, upcoming, closed, then unknown."""
    return STATUSES.index(state) if state in STATUSES else len(STATUSES)


def build_date(environ=None) -> dt.date:
    """The day of ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) when set, else today."""
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not {epoch!r}") from None


# --- schema.org --------------------------------------------------------------------------


def iso_duration(hours: float) -> str:
    """Hours as an ISO 8601 duration: 10 -> ``PT10H``, 1.5 -> ``PT1H30M``, 0.75 -> ``PT45M``."""
    minutes = round(hours * 60)
    whole, rest = divmod(minutes, 60)
    return "PT" + (f"{whole}H" if whole else "") + (f"{rest}M" if rest or not whole else "")


def json_ld(course: Course, url: str, provider_url: str) -> dict:
    """The schema.org ``Course`` for a course page in the course's language.

    ``url`` is the page's absolute URL, ``provider_url`` the Training Centre's site. Facts the
    course file leaves out are left out here too.
    """
    meta = course.meta
    labels = i18n.labels(course.lang)
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.summary,
        "url": url,
        "inLanguage": course.lang,
        "provider": {"@type": "Organization", "name": PROVIDER_NAME, "url": provider_url},
    }
    if meta.get("code"):
        data["courseCode"] = meta["code"]
    if course.languages:
        data["availableLanguage"] = course.languages
    if course.topics:
        data["about"] = [vocabulary("topics")[t][course.lang] for t in course.topics]
    if meta.get("level"):
        data["educationalLevel"] = vocabulary("levels")[meta["level"]][course.lang]
    if meta.get("audience"):
        data["audience"] = {"@type": "Audience", "audienceType": meta["audience"]}
    if meta.get("certificate") is True:
        data["educationalCredentialAwarded"] = labels["course_certificate_awarded"]
    if meta.get("cost") is not None:
        data["offers"] = {
            "@type": "Offer",
            "category": "Free" if course.free else "Paid",
            "price": 0 if course.free else meta["cost"],
            "priceCurrency": PRICE_CURRENCY,
            "url": meta["registration_url"],
        }
    if meta.get("partner"):
        data["contributor"] = {"@type": "Organization", "name": meta["partner"]}
    instance = course_instance(course)
    if instance:
        data["hasCourseInstance"] = [instance]
    return data


def course_instance(course: Course) -> dict | None:
    """The session as a schema.org ``CourseInstance``, or None when nothing is known of it."""
    facts: dict = {}
    if course.format:
        facts["courseMode"] = COURSE_MODES[course.format]
    if course.start:
        facts["startDate"] = course.start.isoformat()
    if course.end:
        facts["endDate"] = course.end.isoformat()
    if course.meta.get("duration_hours"):
        facts["courseWorkload"] = iso_duration(course.meta["duration_hours"])
    if not facts:
        return None
    return {"@type": "CourseInstance", **facts}
