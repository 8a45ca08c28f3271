"""axe-core (axe-core-python) on the page a Selenium driver shows: the serious and critical
violations, written out for a test failure. Shared by the browser test modules."""

from axe_core_python.selenium import Axe

FAIL_ON = ("serious", "critical")


def serious_violations(driver, label):
    """None when axe finds nothing serious or critical; otherwise every such violation, one per
    line with the elements it was found on."""
    results = Axe().run(driver)
    bad = [v for v in results["violations"] if v.get("impact") in FAIL_ON]
    if not bad:
        return None
    lines = [f"{label} ({driver.current_url}): {len(bad)} serious or critical axe violation(s)"]
    for violation in bad:
        lines.append(f"  {violation['id']} [{violation['impact']}]: {violation['help']} ({violation.get('helpUrl', '')})")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node.get('html', '')[:200]}")
    return "\n".join(lines)
