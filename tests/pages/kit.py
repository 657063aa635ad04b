"""Saved pages and PDFs made for the tests, around real article text.

The pages are laid out the way news sites are (a cookie banner, navigation, scripts,
a byline, share buttons, related links, comments, a footer); the text inside is the
seed reports or the bundled sample (our own writing). Nothing of a real site is
copied: these are our templates.
"""

from __future__ import annotations

import html
import json
import quopri
from dataclasses import dataclass
from pathlib import Path

BOILERPLATE = (
    "We use cookies to improve your experience",
    "Subscribe to our newsletter",
    "Share on Facebook",
    "Most read this week",
    "Storm season starts early",
    "This is a disgrace, the council knew",
    "All rights reserved",
    "window.dataLayer",
    "Sign in",
)


@dataclass(frozen=True)
class Article:
    outlet: str
    title: str
    paragraphs: tuple[str, ...]
    author: str = "Mira Lund"
    date: str = "2026-03-03"
    url: str = "https://outlet.example/news/article"
    lang: str = "en"


def from_text(text: str, outlet: str, n: int) -> Article:
    """An article made of a plain-text report: its first line the title."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, body = lines[0], tuple(lines[1:])
    if len(title) > 120:  # the report opens with its first paragraph, not a headline
        title, body = f"{outlet}: the report", tuple(lines)
    slug = outlet.lower().replace(" ", "-")
    return Article(outlet, title, body, url=f"https://{slug}.example/news/{n}")


def page(
    article: Article, charset: str = "utf-8", title_extra: str = "", heavy: bool = False
) -> str:
    """The article as a saved news page with everything around it a site adds;
    ``heavy``: as large as real news pages are (about 300 KB: a script's JSON state,
    a mega-menu, a wall of related links), for the benchmark."""
    e = html.escape
    paragraphs = list(article.paragraphs)
    middle = len(paragraphs) // 2
    body = "\n".join(f"<p>{e(p)}</p>" for p in paragraphs[:middle])
    body += (
        '\n<div class="share-tools"><a href="#">Share on Facebook</a> '
        '<a href="#">Share on X</a> <a href="#">Email</a></div>\n'
        '<aside class="inline-promo"><p>Subscribe to our newsletter for the morning '
        "briefing.</p></aside>\n"
    )
    body += "\n".join(f"<p>{e(p)}</p>" for p in paragraphs[middle:])
    state = menu = related = ""
    if heavy:
        state = (
            '<script id="__STATE__" type="application/json">'
            + json.dumps(
                {
                    "items": [
                        {"id": i, "headline": f"Story {i}", "body": "x" * 180} for i in range(1200)
                    ]
                }
            )
            + "</script>"
        )
        menu = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(300))
        related = "".join(
            f'<li><a href="/story/{i}">Another story about the region, number {i}</a></li>'
            for i in range(120)
        )
    return f"""<!DOCTYPE html>
<html lang="{article.lang}">
<head>
<meta charset="{charset}">
<title>{e(title_extra + article.title)} | {e(article.outlet)}</title>
<link rel="canonical" href="{article.url}">
<meta property="og:site_name" content="{e(article.outlet)}">
<meta property="og:title" content="{e(title_extra + article.title)}">
<meta property="og:url" content="{article.url}">
<meta name="author" content="{e(article.author)}">
<meta property="article:published_time" content="{article.date}T07:10:00Z">
<script>window.dataLayer = window.dataLayer || [];
function gtag(){{dataLayer.push(arguments);}}</script>
<style>body {{ font-family: serif }} .cookie {{ position: fixed }}</style>
</head>
<body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience
on our site. <button>Accept all</button> <button>Manage</button></p></div>
<header class="site-header"><a class="logo" href="/">{e(article.outlet)}</a>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li>
<li><a href="/account">Sign in</a></li>{menu}</ul></nav></header>
<main>
<article class="story">
<h1>{e(title_extra + article.title)}</h1>
<div class="byline">By <a href="/authors/1">{e(article.author)}</a> · {article.date}</div>
{body}
</article>
<aside class="most-read"><h2>Most read this week</h2><ol>
<li><a href="/a">Storm season starts early</a></li>
<li><a href="/b">Council budget vote delayed again</a></li>{related}</ol></aside>
<section class="comments" id="comments"><h2>Comments (2)</h2>
<div class="comment"><p>This is a disgrace, the council knew for years!</p></div>
<div class="comment"><p>Thoughts with everyone affected.</p></div></section>
</main>
<footer><p>© 2026 {e(article.outlet)}. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
<script src="/static/app.js"></script>{state}
</body></html>
"""


def mhtml(page_html: str, address: str, charset: str = "iso-8859-1") -> bytes:
    """The page as a browser saves it to one file: MIME, quoted-printable."""
    encoded = quopri.encodestring(page_html.encode(charset)).decode("ascii")
    return (
        "From: <Saved by Blink>\r\n"
        f"Snapshot-Content-Location: {address}\r\n"
        "Subject: saved page\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; type="text/html"; boundary="----MultipartBoundary--x"\r\n'
        "\r\n"
        "------MultipartBoundary--x\r\n"
        f"Content-Type: text/html; charset={charset}\r\n"
        f"Content-ID: <frame-1@mhtml.blink>\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        f"Content-Location: {address}\r\n"
        "\r\n"
        f"{encoded}\r\n"
        "------MultipartBoundary--x\r\n"
        "Content-Type: text/css\r\n"
        "Content-Location: https://outlet.example/site.css\r\n"
        "\r\n"
        "body { color: black }\r\n"
        "------MultipartBoundary--x--\r\n"
    ).encode("ascii")


def two_column_pdf(path: Path, title: str, paragraphs: list[str], header: str) -> None:
    """A report as a two-column PDF: a running header and ``Page N of M`` on every
    page, words hyphenated at line ends, and the ligature glyphs ﬁ and ﬂ."""
    import os

    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
    pdfmetrics.registerFont(TTFont("Vera", font))
    width, height = 595.0, 842.0  # A4 in points
    column = (width - 3 * 50) / 2
    size, leading = 10.0, 13.0
    lines_per_column = int((height - 180) / leading)

    def wrap(text: str) -> list[str]:
        """Greedy lines; a long word at a line end is hyphenated the way typesetters do."""
        words, lines, line = text.split(), [], ""
        for word in words:
            trial = f"{line} {word}".strip()
            if pdfmetrics.stringWidth(trial, "Vera", size) <= column:
                line = trial
                continue
            if len(word) >= 8 and line:
                cut = len(word) // 2
                head = f"{line} {word[:cut]}-"
                if pdfmetrics.stringWidth(head, "Vera", size) <= column:
                    lines.append(head)
                    line = word[cut:]
                    continue
            lines.append(line)
            line = word
        lines.append(line)
        return lines

    flowing: list[str] = []
    for paragraph in paragraphs:
        flowing += wrap(paragraph.replace("fi", "ﬁ").replace("fl", "ﬂ"))
        flowing.append("")  # a blank line between paragraphs
    pages = [
        flowing[i : i + 2 * lines_per_column] for i in range(0, len(flowing), 2 * lines_per_column)
    ]
    pdf = canvas.Canvas(str(path), pagesize=(width, height))
    pdf.setTitle(title)
    pdf.setAuthor("Mira Lund")
    for number, lines in enumerate(pages, start=1):
        pdf.setFont("Vera", 8)
        pdf.drawString(50, height - 40, header)
        pdf.drawRightString(width - 50, 30, f"Page {number} of {len(pages)}")
        if number == 1:
            pdf.setFont("Vera", 16)
            pdf.drawString(50, height - 90, title)
        pdf.setFont("Vera", size)
        for i, line in enumerate(lines):
            col, row = divmod(i, lines_per_column)
            x = 50 + col * (column + 50)
            pdf.drawString(x, height - 130 - row * leading, line)
        pdf.showPage()
    pdf.save()


def image_only_pdf(path: Path) -> None:
    """A scanned page: one picture, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(picture)
    for y in range(60, 760, 18):
        draw.line((40, y, 560, y), fill="black", width=6)  # lines of "text", as pixels
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    pdf.drawImage(ImageReader(picture), 0, 0, 595, 842)
    pdf.showPage()
    pdf.save()
