"""The case files' sources are fit to cite: author, title and year for every source, and URLs only on reviewed
hosts of publishers, archives, libraries, newspapers and universities, never on a mirror or copy site.

A new host must be reviewed and added to ``ALLOWED_HOSTS`` with a note of what it is; a host that looks like a
mirror is refused even when someone adds it (see :func:`url_problem`).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import pytest

import levelii_kit as lk
from levelii_kit.casefile import format_citation

#: Hosts the case files may link to, each reviewed: whose own domain it is.
ALLOWED_HOSTS = {
    # publishers, journals and working-paper archives
    "direct.mit.edu": "MIT Press, publisher of Negotiation Journal",
    "www.cambridge.org": "Cambridge University Press, publisher of International Organization",
    "ideas.repec.org": "RePEc, the economics working-paper archive (lists HBS Working Papers)",
    "hbr.org": "Harvard Business Review, the publisher's site",
    "www.taylorfrancis.com": "Taylor & Francis, the publisher's own book platform",
    "press.princeton.edu": "Princeton University Press",
    "www.erudit.org": "Erudit, the Quebec universities' journal platform that publishes Eurostudia",
    "books.google.com": "Google Books (its .com address only), for a US Government committee print",
    # universities and their research programmes
    "www.hbs.edu": "Harvard Business School",
    "hbswk.hbs.edu": "HBS Working Knowledge, Harvard Business School",
    "www.pon.harvard.edu": "Program on Negotiation at Harvard Law School",
    "www.presidency.ucsb.edu": "The American Presidency Project, University of California, Santa Barbara",
    "ufdcimages.uflib.ufl.edu": "University of Florida Digital Collections (a university library)",
    "nsarchive.gwu.edu": "National Security Archive, George Washington University",
    "nsarchive2.gwu.edu": "National Security Archive, George Washington University (older pages)",
    # governments, parliaments, archives and international organisations
    "www.archives.gov": "US National Archives",
    "history.state.gov": "US Department of State, Office of the Historian (FRUS)",
    "www.auswaertiges-amt.de": "German Federal Foreign Office",
    "bpb.de": "Bundeszentrale fuer politische Bildung (German federal agency for civic education)",
    "landtag.sachsen-anhalt.de": "Landtag of Saxony-Anhalt (state parliament)",
    "www.nato.int": "NATO",
    "universalis.fr": "Encyclopaedia Universalis, the publisher's site",
    # associations
    "www.nyahn.net": "New York Association of Hostage Negotiators, the association's own site",
    "abajournal.com": "ABA Journal, the American Bar Association's magazine",
    # newspapers, magazines, news agencies and broadcasters (their own archives)
    "www.latimes.com": "Los Angeles Times",
    "articles.chicagotribune.com": "Chicago Tribune archive",
    "articles.baltimoresun.com": "Baltimore Sun archive",
    "www.csmonitor.com": "Christian Science Monitor",
    "www.deseret.com": "Deseret News",
    "www.upi.com": "UPI archives",
    "www.independent.co.uk": "The Independent",
    "www.nrc.nl": "NRC Handelsblad",
    "www.trouw.nl": "Trouw",
    "ansa.it": "ANSA, the Italian news agency",
    "metro.co.uk": "Metro (UK)",
    "www.washingtonpost.com": "The Washington Post",
    "www.washingtontimes.com": "The Washington Times",
    "www.cnbc.com": "CNBC",
    "www.businessinsider.com": "Business Insider",
    "www.jta.org": "Jewish Telegraphic Agency archive",
}

#: Mirror, copy and scraper sites (and words in their names) that are never fit to cite.
DENIED = (
    "trantor",
    "bookreadfree",
    "issuhub",
    "docslib",
    "dhirubhai",
    "studylib",
    "scribd",
    "fdocuments",
    "vdocuments",
    "dokumen",
    "yumpu",
    "paperzz",
    "ebin.pub",
    "vdoc.pub",
    "pdfroom",
    "flylib",
    "zlibrary",
    "z-lib",
    "libgen",
    "1library",
    "coursehero",
    "pdfhost",
    "softbeam",
    "annas-archive",
    "wikiclassic",
)

#: Top-level domains that the mirror farms seen in this project's research used; no publisher of ours sits there.
ODD_TLDS = ("asia", "group", "top", "xyz", "icu", "pw", "tk", "cc", "to")


def url_problem(url: str) -> str | None:
    """Why ``url`` is not fit to cite, or None.

    Parameters
    ----------
    url : str

    Returns
    -------
    str or None
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme!r} (expected http or https)"
    host = parts.hostname or ""
    if not host or parts.username or parts.password or parts.port:
        return "an address with user, password or port"
    if parts.netloc.endswith("."):
        return "a host with a trailing dot"
    for word in DENIED:
        if word in host:
            return f"{host} is a mirror or copy site ({word})"
    try:
        ipaddress.ip_address(host)
        return f"{host} is a bare IP address"
    except ValueError:
        pass
    labels = host.split(".")
    if labels[-1] in ODD_TLDS:
        return f"{host} sits on .{labels[-1]}, a domain used by mirror farms"
    if any(label.isdigit() for label in labels):
        return f"{host} has an all-digit label, the mark of a generated mirror"
    if re.fullmatch(r"books\.google\.[a-z.]+", host) and host != "books.google.com":
        return f"{host}: cite Google Books at books.google.com"
    if host not in ALLOWED_HOSTS:
        return f"{host} is not a reviewed host; review it and add it to ALLOWED_HOSTS with what it is"
    return None


def _sources():
    out = []
    for path in lk.list_cases():
        case = lk.load_case(path)
        out.extend((case.slug, src) for src in case.sources)
    return out


SOURCES = _sources()


@pytest.mark.parametrize(
    "url",
    [
        # the copies the fact-check found in the case files (content-review 2.2, 3.3, 5.2, 5.4)
        "https://trantor.is/content/F8hMfkbXfA-STulS/xhtml/Bake_9780385540568_epub3_c021_r1.xhtml",
        "https://bookreadfree.com/107041/2650080",
        "https://issuhub.com/view/index/23288?pageIndex=471",
        "https://docslib.org/robert-kennedy-excerpt-from-thirteen-days",
        "https://dhirubhai.net/pulse/negotiating-without-net-lessons-from-nypds-dominick-j-amr-elharony-4j82c",
        "http://487790.bceovw70.asia/txt/time/Time1978/1978-04-24/916108.html",
        "https://books.google.to/books?id=Mpk3AAAAIAAJ&pg=RA9-PA14-IA1",
        "https://nsarchive.gwu.edu./media/20379/ocr",
        # other shapes of the same thing
        "http://610211.6jhxt.group/txt/time/Time1977/1977-09-19/915467.html",
        "https://www.scribd.com/document/166123009/Not-One-Inch-Eastward",
        "http://93.184.216.34/paper.pdf",
        "https://user:secret@www.latimes.com/x",
        "javascript:alert(1)",
        "https://an-unreviewed-blog.example.org/post",
    ],
)
def test_mirror_and_unreviewed_urls_are_refused(url):
    assert url_problem(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://direct.mit.edu/ngtn/article/29/1/7/121792/Level-Two-Negotiations-Helping-the-Other-Side-Meet",
        "https://books.google.com/books?id=Mpk3AAAAIAAJ&pg=RA9-PA14-IA1",
        "https://history.state.gov/historicaldocuments/frus1977-80v09Ed2/d71",
    ],
)
def test_reviewed_publisher_and_archive_urls_pass(url):
    assert url_problem(url) is None


def test_every_source_url_is_fit_to_cite():
    bad = [
        f"{slug}: sources.{src.id}: {problem}" for slug, src in SOURCES if src.url and (problem := url_problem(src.url))
    ]
    assert not bad, "\n".join(bad)


def test_every_source_has_author_title_and_year():
    missing = [
        f"{slug}: sources.{src.id}: missing {', '.join(f for f in ('author', 'title', 'year') if not getattr(src, f))}"
        for slug, src in SOURCES
        if not (src.author and src.title and src.year)
    ]
    assert not missing, "\n".join(missing)


def test_a_written_citation_agrees_with_its_fields():
    """Where a case file writes a citation as well, it starts with the reference composed from the fields."""
    drift = []
    for slug, src in SOURCES:
        composed = format_citation(src.author, src.title, src.year, src.publisher, src.container, src.pages)
        if not src.citation.startswith(composed.rstrip(".")):
            drift.append(f"{slug}: sources.{src.id}: {src.citation!r} does not start with {composed!r}")
    assert not drift, "\n".join(drift)


def test_a_source_cited_in_several_cases_is_cited_the_same_way():
    """The bibliography merges sources by id, so one id must mean one work everywhere."""
    seen = {}
    for slug, src in SOURCES:
        key = (src.author, src.title, str(src.year))
        first = seen.setdefault(src.id, (slug, key))
        assert first[1] == key, f"sources.{src.id}: {first[0]} cites {first[1]}, {slug} cites {key}"
