"""Web page -> Markdown: choose the content, then markdownify it (the html extra).

As Open Terms Archive does, a policy may say which part of its page is the policy:
CSS selectors to keep and to remove (`web_page: {select: [...], remove: [...]}` in its
policy.yaml).  Without them the main content is guessed (`<main>`, its one `<article>`,
else the largest article or the body, less navigation), and the output says so.
The page is parsed with Python's own HTML parser: no network, no external entities.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup
from markdownify import markdownify
from soupsieve import SelectorSyntaxError

from .converted import Converted
from .markdown import clean
from ..errors import RecordError

# Never content: code, styling, embedded objects, forms, and their text.
_NEVER = ["script", "style", "noscript", "template", "svg", "iframe", "object", "embed",
          "canvas", "form", "button", "input", "select", "textarea", "link", "meta"]
_CHROME = "nav, aside, footer, [role=navigation], [role=banner], [role=contentinfo], " \
          "[role=search], [aria-hidden=true], [hidden]"


def read_html(data: bytes, name: str, keep: tuple[str, ...] = (),
              remove: tuple[str, ...] = ()) -> Converted:
    try:
        return _read(data, name, keep, remove)
    except RecursionError:  # the tree walks recurse once per level of nesting
        raise RecordError("elements nested too deeply to read (thousands of levels)",
                          name) from None


def _read(data: bytes, name: str, keep: tuple[str, ...], remove: tuple[str, ...]) -> Converted:
    soup = BeautifulSoup(data, "html.parser")
    title = _title(soup)
    dates = _dates(soup)
    for element in soup(_NEVER):
        element.decompose()
    notes = []
    if keep or remove:
        content = _selected(soup, keep, remove, name)
        how = "the selection in policy.yaml"
    else:
        content, how = _guessed(soup)
        notes.append(f"{name}: main content guessed ({how}); a `web_page: {{select: [...], "
                     f"remove: [...]}}` entry in the policy's policy.yaml chooses it")
    body = _markdown(content)
    return Converted(body, title, f"the web page reader ({how})", dates, notes)


def _selected(soup: Any, keep: tuple[str, ...], remove: tuple[str, ...], name: str) -> str:
    try:
        for selector in remove:
            for element in soup.select(selector):
                element.decompose()
        if not keep:
            return str(soup.body or soup)
        chosen = soup.select(", ".join(keep))
    except SelectorSyntaxError as exc:
        raise RecordError(f"a web_page selector in policy.yaml is not valid CSS: "
                          f"{str(exc).splitlines()[0]}", name) from None
    if not chosen:
        raise RecordError(f"the web_page selection {list(keep)} of policy.yaml matches nothing "
                          f"on this page", name)
    outer = [e for e in chosen if not any(p in chosen for p in e.parents)]  # no part twice
    return "".join(str(e) for e in outer)


def _guessed(soup: Any) -> tuple[str, str]:
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    scope = main or soup.body or soup
    articles = scope.find_all("article")
    if len(articles) == 1:
        chosen, how = articles[0], "its article"
    elif articles:
        chosen, how = max(articles, key=lambda a: len(a.get_text())), "its longest article"
    else:
        chosen, how = scope, ("its <main>" if main else "the page body")
    for element in chosen.select(_CHROME):
        element.decompose()
    return str(chosen), how + ", navigation removed"


def _markdown(html: str) -> str:
    text = markdownify(html, heading_style="ATX", bullets="-", strip=["a", "img"],
                       escape_misc=False)
    text = re.sub(r"[ \t]+\n", "\n", text.replace("\u200b", ""))  # anchors' zero-width marks
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _title(soup: Any) -> str | None:
    meta = soup.find("meta", attrs={"property": "og:title"})
    if meta and clean(meta.get("content", "")):
        return clean(meta["content"])[:300]
    h1 = soup.find("h1")
    if h1 and clean(h1.get_text()):
        return clean(h1.get_text())[:300]
    if soup.title and clean(soup.title.get_text()):
        return clean(soup.title.get_text())[:300]
    return None


def _dates(soup: Any) -> dict[str, str]:
    found = {}
    for key, prop in (("created", "article:published_time"), ("modified", "article:modified_time")):
        meta = soup.find("meta", attrs={"property": prop})
        match = re.match(r"\d{4}-\d\d-\d\d", (meta.get("content") or "") if meta else "")
        if match:
            found[key] = match.group()
    if "created" not in found:
        time = soup.find("time", attrs={"datetime": True})
        match = re.match(r"\d{4}-\d\d-\d\d", time["datetime"]) if time else None
        if match:
            found["created"] = match.group()
    return found
