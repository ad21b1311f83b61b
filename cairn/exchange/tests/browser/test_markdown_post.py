"""In a real browser, on a desktop and on a phone: a know-how post written in Markdown shows
highlighted code, safe links, and a very long word that wraps instead of widening the page."""

import pytest
from playwright.sync_api import expect

from cairn.browser_testing import PHONE

WIDTHS = [pytest.param({"width": 1280, "height": 800}, id="desktop"),
          pytest.param(PHONE, id="phone")]  # fmt: skip

BODY = (
    """Use a **window function** instead of `GROUP BY`:

```python
def top(rows, n=3):
    return sorted(rows, key=lambda r: r.score)[:n]
```

See [the docs](https://example.com/window) — <script>window.hacked = true</script>

"""
    + "x" * 10_000
)


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_markdown_post_with_code(signed_in_page, personas, viewport) -> None:
    page = signed_in_page(personas.carol)
    page.set_viewport_size(viewport)
    dialogs: list[str] = []

    def note_and_dismiss(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", note_and_dismiss)
    page.goto("/posts/new/")
    page.get_by_label("Title").fill("Top rows per group")
    page.get_by_label("What you want to share").fill(BODY)
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Top rows per group")

    prose = page.locator(".prose").first
    expect(prose.locator("strong")).to_have_text("window function")
    keyword = prose.locator("pre.highlight span.k").first
    expect(keyword).to_have_text("def")
    colour = keyword.evaluate("el => getComputedStyle(el).color")
    assert colour == "rgb(0, 128, 0)", colour  # the stylesheet's colour, not an inline style
    link = prose.get_by_role("link", name="the docs")
    expect(link).to_have_attribute("rel", "nofollow noopener")
    expect(prose).to_contain_text("<script>window.hacked = true</script>")
    assert page.evaluate("window.hacked === undefined")
    assert not dialogs

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], width  # the 10,000-character word wraps
    box = prose.bounding_box()
    assert box is not None and box["width"] <= viewport["width"]
