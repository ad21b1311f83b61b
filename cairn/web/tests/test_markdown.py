"""People's writing rendered from Markdown: safe whatever is typed, code highlighted by class."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from pygments.formatters import HtmlFormatter

from cairn.communities.actions import do_create_community, do_reply, do_start_thread
from cairn.communities.models import Thread
from cairn.exchange import actions as exchange
from cairn.exchange.models import HelpRequest, Post
from cairn.markdown import ALLOWED_CLASSES, ALLOWED_TAGS, render_markdown
from cairn.testing import CairnTestCase

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="https://example.com" onclick="alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "<iframe src=https://example.com></iframe>",
    "<svg onload=alert(1)>",
    '<div style="position:fixed">cover</div>',
    "<!-- hidden --><style>body{display:none}</style>",
    "`<script>`",
    "```html\n<script>alert(1)</script>\n```",
    '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
]


class _Elements(HTMLParser):
    """Collect every element's tag and attributes, as a browser would parse them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("source", ATTACKS)
def test_no_attack_survives_as_markup(source: str) -> None:
    for tag, attrs in _Elements(render_markdown(source)).found:
        assert tag in ALLOWED_TAGS
        assert not [name for name in attrs if name.startswith("on") or name == "style"]
        href = attrs.get("href")
        assert href is None or href.startswith(("https:", "http:", "mailto:")), href


def test_raw_html_is_shown_as_text_not_dropped() -> None:
    assert render_markdown("<b>bold?</b>") == "<p>&lt;b&gt;bold?&lt;/b&gt;</p>\n"


def test_links_get_nofollow_noopener_and_keep_their_address() -> None:
    html = render_markdown("[docs](https://example.com/a?b=1&c=2) and <https://example.org>")
    assert html.count('rel="nofollow noopener"') == 2
    assert 'href="https://example.com/a?b=1&amp;c=2"' in html


def test_a_fenced_block_with_a_language_is_highlighted_with_classes_only() -> None:
    html = render_markdown("```python\ndef greet(name):\n    return f'hi {name}'\n```")
    assert html.startswith('<pre class="highlight"><code>')
    assert '<span class="k">def</span>' in html
    assert '<span class="nf">greet</span>' in html
    assert "style=" not in html


def test_code_in_an_unknown_language_or_none_is_escaped_plain_text() -> None:
    for source in ("```klingon\n<b>x</b>\n```", "    <b>x</b>"):
        assert render_markdown(source) == "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n"


def test_headings_sit_under_the_page_headings() -> None:
    html = render_markdown("# One\n## Two\n###### Six")
    assert "<h3>One</h3>" in html and "<h4>Two</h4>" in html and "<h6>Six</h6>" in html
    assert "<h1" not in html and "<h2" not in html


def test_an_image_becomes_a_link_to_the_picture() -> None:
    html = render_markdown("![the chart](https://example.com/chart.png)")
    assert html == (
        '<p><a href="https://example.com/chart.png" rel="nofollow noopener">the chart</a></p>\n'
    )


def test_single_line_breaks_stay_and_lists_tables_strikethrough_work() -> None:
    html = render_markdown("one\ntwo\n\n- a\n- b\n\n| x |\n|---|\n| 1 |\n\n~~old~~")
    assert "one<br>\ntwo" in html
    assert "<ul>" in html and "<table>" in html and "<s>old</s>" in html


def cairn_css() -> str:
    """The text of Cairn's one stylesheet, found the way ``collectstatic`` finds it."""
    path = finders.find("cairn/cairn.css")
    assert isinstance(path, str)
    return Path(path).read_text(encoding="utf-8")


def test_the_stylesheet_colours_every_class_the_highlighter_emits() -> None:
    stylesheet = cairn_css()
    for rule in HtmlFormatter(style="default").get_token_style_defs("pre.highlight"):
        assert rule.split(" {")[0] + " {" in stylesheet, rule
    styled = set(re.findall(r"pre\.highlight \.([\w-]+) \{", stylesheet))
    assert styled <= ALLOWED_CLASSES["span"]


class MarkdownOnPagesTest(CairnTestCase):
    """Every page that shows a person's writing renders it with the one filter."""

    post: Post
    lesson: Post
    request: HelpRequest
    thread: Thread

    SOURCE = "**bold** <script>alert(1)</script>\n\n```python\nx = 1\n```"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.post = exchange.do_share_post(cls.alice, "Know-how", cls.SOURCE)
        cls.lesson = exchange.do_share_post(
            cls.alice, "Lesson", cls.SOURCE, kind="lesson", learned=cls.SOURCE
        )
        exchange.do_comment(cls.bob, cls.post, cls.SOURCE)
        cls.request = exchange.do_ask(cls.alice, "Help", details=cls.SOURCE)
        exchange.do_respond(cls.bob, cls.request, cls.SOURCE)
        community = do_create_community(cls.alice, "Writers")
        cls.thread = do_start_thread(cls.alice, community, "Thread", cls.SOURCE)
        do_reply(cls.alice, cls.thread, cls.SOURCE)

    def assertRendered(self, url: str, times: int) -> None:  # noqa: N802
        self.client.force_login(self.carol)
        page = self.client.get(url).content.decode()
        self.assertEqual(page.count("<strong>bold</strong>"), times)
        self.assertEqual(page.count('<pre class="highlight"><code>'), times)
        self.assertEqual(page.count("&lt;script&gt;alert(1)&lt;/script&gt;"), times)
        self.assertNotIn("<script>alert", page)

    def test_a_post_and_its_comments(self) -> None:
        self.assertRendered(self.post.get_absolute_url(), 2)

    def test_a_lesson_both_parts(self) -> None:
        self.assertRendered(self.lesson.get_absolute_url(), 2)

    def test_a_request_and_its_responses(self) -> None:
        self.assertRendered(self.request.get_absolute_url(), 2)

    def test_a_thread_and_its_replies(self) -> None:
        self.assertRendered(self.thread.get_absolute_url(), 2)

    def test_a_ten_thousand_character_word_is_allowed_to_wrap(self) -> None:
        self.assertIn(
            ".prose { overflow-wrap: anywhere; }",
            cairn_css(),
        )
        self.client.force_login(self.carol)
        self.assertIn('<div class="prose">', self.client.get(self.post.get_absolute_url()).text)
