"""axe-core (npm, node_modules/axe-core) run inside the page Playwright shows.

The site's Content-Security-Policy refuses inline scripts, so axe is not added as a
<script> element: its source is evaluated through the DevTools protocol, which the page's
CSP does not govern, and the page itself stays exactly as served.
"""

from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# What the check refuses; "moderate" and "minor" findings are left to review.
BLOCKING = {"serious", "critical"}


@cache
def _axe_source() -> str:
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `make build` (npm ci installs axe-core)")
    return AXE.read_text()


def serious_violations(page) -> list[str]:
    """Each serious or critical WCAG 2.x A/AA violation on the page, as "rule: target"."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        """() => axe.run(document, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})"""
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']}"
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]
