"""Using a page with the keyboard alone: where Tab goes, and whether anyone can see it.

Elements are told apart by a ``data-keyboard-id`` attribute given to them on first sight;
nothing else on the page is changed.
"""

from __future__ import annotations

from typing import Any

# Whatever a person can reach with Tab: links, form controls, summaries, tabindex >= 0.
FOCUSABLE = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    "[tabindex]:not([tabindex='-1'])"
)
MOST_PRESSES = 250

_IDENTIFY = """el => {
  if (!el || el === document.body || el === document.documentElement) return null;
  if (!el.dataset.keyboardId) {
    window.__keyboardIds = (window.__keyboardIds || 0) + 1;
    el.dataset.keyboardId = String(window.__keyboardIds);
  }
  return el.dataset.keyboardId;
}"""

_DESCRIBE = """el => {
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const text = (el.getAttribute("aria-label") || label || el.innerText || el.value || "");
  return `<${el.tagName.toLowerCase()}${el.id ? " id=" + el.id : ""}> ${text.trim().slice(0, 60)}`;
}"""

# What a sighted keyboard user sees change when focus arrives: the element's own outline,
# shadow, background, border or underline, or, for radios and checkboxes (whose input is
# invisible), the ring GOV.UK Frontend draws on the label.
_FOCUS_VISIBLE = """el => {
  const look = (node, pseudo) => {
    const s = getComputedStyle(node, pseudo);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor,
            s.borderColor, s.color, s.textDecorationLine, s.textDecorationThickness].join("|");
  };
  const snapshot = () => {
    const parts = [look(el)];
    for (const label of el.labels || []) {
      parts.push(look(label), look(label, "::before"), look(label, "::after"));
    }
    return parts.join("#");
  };
  const focused = snapshot();
  el.blur();
  const unfocused = snapshot();
  el.focus({preventScroll: true});
  return focused !== unfocused;
}"""

_EXPECTED = """(selector) => {
  const shown = el => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  const reachable = el => !el.disabled && !el.closest("[inert], [hidden]") && shown(el)
    && !(el.closest("details:not([open])") && el.tagName !== "SUMMARY");
  return Array.from(document.querySelectorAll(selector)).filter(reachable);
}"""


def active_id(page: Any) -> str | None:
    handle = page.evaluate_handle("document.activeElement")
    return handle.evaluate(_IDENTIFY)  # type: ignore[no-any-return]


def describe_active(page: Any) -> str:
    return page.evaluate_handle("document.activeElement").evaluate(_DESCRIBE)  # type: ignore[no-any-return]


def focus_is_visible(page: Any) -> bool:
    return page.evaluate_handle("document.activeElement").evaluate(_FOCUS_VISIBLE)  # type: ignore[no-any-return]


def tab_to(page: Any, text: str, *, most: int = 80) -> None:
    """Press Tab until the focused control's label, name or text contains ``text``."""
    seen = []
    for _ in range(most):
        page.keyboard.press("Tab")
        described = describe_active(page)
        seen.append(described)
        if text in described.split("> ", 1)[-1]:
            assert focus_is_visible(page), f"focus on {described} cannot be seen"
            return
    raise AssertionError(f"Tab never reached {text!r}; it went through: {seen}")


def active_classes(page: Any) -> str:
    return page.evaluate("document.activeElement.className || ''")  # type: ignore[no-any-return]


def check_tab_order(page: Any, state: str) -> int:
    """Tab from the top of the page to its end and back with Shift+Tab. Every control must
    be reached, in the order of the page, with its focus visible, and Shift+Tab must retrace
    the same steps. Returns how many stops there were."""
    # Back to the top, as on arriving at the page: focus (briefly focusable) body, so the
    # next Tab starts from there rather than from wherever focus was.
    page.evaluate(
        """() => { document.body.tabIndex = -1; document.body.focus();
                   document.body.removeAttribute("tabindex"); window.scrollTo(0, 0); }"""
    )
    forward: list[str] = []
    described: dict[str, str] = {}
    for _ in range(MOST_PRESSES):
        page.keyboard.press("Tab")
        current = active_id(page)
        if current is None or (forward and current == forward[0]):
            break
        forward.append(current)
        described[current] = describe_active(page)
        assert focus_is_visible(page), f"{state}: focus on {described[current]} cannot be seen"
    else:
        raise AssertionError(f"{state}: Tab never left the page after {MOST_PRESSES} presses")

    expected = page.evaluate_handle(_EXPECTED, FOCUSABLE)
    groups: dict[str, set[str]] = {}
    missed = []
    for element in expected.get_properties().values():
        handle = element.as_element()
        identity = handle.evaluate(_IDENTIFY)
        if handle.evaluate("el => el.type === 'radio'"):
            # Tab stops once in a group of radios; the arrow keys move within it.
            groups.setdefault(handle.evaluate("el => el.name"), set()).add(identity)
        elif identity not in forward:
            missed.append(handle.evaluate(_DESCRIBE))
    for name, radios in groups.items():
        if not radios & set(forward):
            missed.append(f"the radios {name}")
    assert not missed, f"{state}: Tab never reaches {missed}"

    in_page_order = page.evaluate(
        """ids => {
          const at = id => document.querySelector(`[data-keyboard-id="${id}"]`);
          const after = (a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING;
          return ids.every((id, i) => i === 0 || after(at(ids[i - 1]), at(id)));
        }""",
        forward,
    )
    assert in_page_order, f"{state}: Tab order is not the page's order: " + ", ".join(
        described[i] for i in forward
    )

    # Back from the last stop to the first.
    page.evaluate('id => document.querySelector(`[data-keyboard-id="${id}"]`).focus()', forward[-1])
    backward = [forward[-1]]
    for _ in range(len(forward) - 1):
        page.keyboard.press("Shift+Tab")
        backward.append(active_id(page) or "")
    assert backward == list(reversed(forward)), f"{state}: Shift+Tab does not retrace Tab"
    return len(forward)
