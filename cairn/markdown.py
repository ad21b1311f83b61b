"""People's writing as safe HTML: CommonMark in, sanitised HTML with highlighted code out.

Everything a person writes at length (posts, lessons, requests, responses, comments, threads,
replies) goes through :func:`render_markdown`, used in templates as ``{{ text|markdown }}``
(``{% load markup %}``). Three layers, each doing one job:

1. ``markdown-it-py`` parses CommonMark with raw HTML turned off, so ``<script>`` is shown as
   text, never passed through; single line breaks stay line breaks, as people expect from chat.
2. Fenced code with a language (```` ```python ````) is highlighted by Pygments into ``<span>``
   elements carrying CSS classes only — the Content Security Policy allows no inline styles;
   the colours live in ``cairn.css``.
3. ``nh3`` keeps only the tags and attributes Markdown produces, only http(s) and mailto links,
   and marks every link ``rel="nofollow noopener"``, whatever the layers above let through.

Headings written in a post start at ``<h3>`` so they sit under the page's own headings, and
images become links to the picture (the policy loads no images from other sites).
"""

from functools import lru_cache
from html import escape

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

#: What a form says under a field that takes Markdown.
MARKDOWN_HELP = "Markdown works: **bold**, `code`, ``` for a code block, [a link](https://…)."

#: The level a ``#`` heading in a person's text becomes: under the page's h1 and h2.
FIRST_HEADING_LEVEL = 3

#: Class of a highlighted code block; the Pygments colours in cairn.css are scoped to it.
HIGHLIGHT_CLASS = "highlight"

_FORMATTER = HtmlFormatter(nowrap=True)

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "span", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_CLASSES = {
    "pre": {HIGHLIGHT_CLASS},
    "span": {css_class for css_class in STANDARD_TYPES.values() if css_class},
}
LINK_REL = "nofollow noopener"

_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes={"http", "https", "mailto"},
    link_rel=LINK_REL,
    strip_comments=True,
)


def _highlighted_fence(
    renderer: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Render a fenced code block, highlighted when its language is one Pygments knows."""
    token = tokens[idx]
    language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    if language:
        try:
            lexer = get_lexer_by_name(language)
        except ClassNotFound:
            pass
        else:
            spans = highlight(token.content, lexer, _FORMATTER)
            return f'<pre class="{HIGHLIGHT_CLASS}"><code>{spans}</code></pre>\n'
    return f"<pre><code>{escape(token.content, quote=False)}</code></pre>\n"


def _image_as_link(
    renderer: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Render ``![alt](url)`` as a link to the picture, named by its alt text."""
    token = tokens[idx]
    alt = renderer.renderInlineAsText(token.children or [], options, env) or "picture"
    src = str(token.attrGet("src") or "")
    return f'<a href="{escape(src)}">{escape(alt)}</a>'


def _shift_headings(state: StateCore) -> None:
    """Move every heading down so ``#`` becomes ``<h3>``, capped at ``<h6>``."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + FIRST_HEADING_LEVEL - 1, 6)
            token.tag = f"h{level}"


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "breaks": True})
    parser.enable(["table", "strikethrough"])
    parser.add_render_rule("fence", _highlighted_fence)
    parser.add_render_rule("image", _image_as_link)
    parser.core.ruler.push("shift_headings", _shift_headings)
    return parser


_PARSER = _parser()


@lru_cache(maxsize=2048)
def render_markdown(text: str) -> str:
    """Return ``text`` (Markdown) as sanitised HTML, safe to put on a page as it is."""
    if not text:
        return ""
    return _CLEANER.clean(_PARSER.render(text))
