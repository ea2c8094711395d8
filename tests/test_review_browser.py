"""The review loop in a real browser: Debian's headless Chromium, driven by Selenium through chromedriver.

A first run cleans a small corpus; the review app serves it; the browser rejects one change with the
keyboard, types a correction for another, and rejects every change of one rule in one document;
the next run (with a line added to the input, so that rule makes an edit it never made before) must
obey all three in the txt and the TEI, and leave the other document alone.

The screenshot of the review page goes to the test's temporary folder; with ``OCRCLEAN_SCREENSHOT=1``
it is also copied to ``docs/review-page.png`` (the README's picture), so a normal run leaves the
repository as it was. Needs ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them) and the
``selenium`` package (the ``test`` extra): skipped without them, failed in CI.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT, need
from lxml import etree

from pipeline.cli import main
from pipeline.review.app import ReviewServer, make_server
from pipeline.review.decisions import DecisionStore, default_path
from pipeline.tei import TEI_NS, restore_bytes

#: A report with misreadings the characters stage repairs, spaces before marks the punctuation stage
#: closes (the split words show this OCR inserts spaces), a page number, and markup that must be shown,
#: never run.
INTERVENTION = ("THE INTERVENTION <script>alert(1)</script>\n\n"
                "Th e army and the na vy of Japan landed at Vladivostok in 1918 , and the\n"
                "Bolshevik organizatiox in Chita mobilized its forces against tbe invaders .\n"
                "Hundreds of heroic patriots were shot by the\n"
                "invaders in the spring of that year .\n\n12\n\n"
                "The people of the Far East rose against them and drove them out of the\n"
                "country in 1922 , after four years of war.\n")
#: Added before the second run: the rejected rule's edit here is one no run made before.
ADDED = "The last of them left in the autumn , by sea.\n"
#: Another document with the same rule's edits: a bulk decision about one document must not touch it.
MINUTES = ("MINUTES OF THE COMMITTEE\n\n"
           "Th e committee met in the old town hall on Mon day , and the chair\n"
           "read the letters aloud . Every member listened closely, and the\n"
           "treasurer counted the votes twice .\n")
RULE = "punctuation/space-before-punctuation"
REVIEWER = "tester"
WAIT = 30  # seconds a page may take to answer (a bound, not a measurement)
NS = {"t": TEI_NS}


@pytest.fixture()
def browser() -> Iterator[Any]:
    """A headless Chromium (Debian's ``chromium`` and ``chromedriver``) driven by Selenium."""
    need(importlib.util.find_spec("selenium") is not None, "selenium is not installed (pip install -e '.[test]')")
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    need(chromium is not None and driver is not None,
         "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(chromium)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1200,900", "--lang=en"):
        options.add_argument(arg)
    # explicit paths: Selenium then never fetches a browser or driver of its own
    session = webdriver.Chrome(options=options, service=Service(str(driver)))
    session.set_page_load_timeout(WAIT)
    try:
        yield session
    finally:
        session.quit()


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """raw/ with the corpus and cleaned/ from a first run (with the report the app reads)."""
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "intervention.txt").write_text(INTERVENTION, encoding="utf-8")
    (tmp_path / "raw" / "minutes.txt").write_text(MINUTES, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(tmp_path / "raw"), str(tmp_path / "cleaned")])
    assert result.exit_code == 0, result.output
    return tmp_path


@pytest.fixture()
def app(project: Path) -> Iterator[ReviewServer]:
    """``ocrclean review cleaned`` on a free port, saving into the default ``reviews/decisions.jsonl``."""
    out = project / "cleaned"
    server = make_server(out, default_path(out), REVIEWER, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(WAIT)


def edits_of(out: Path, stem: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / f"{stem}.edits.jsonl").read_text(encoding="utf-8").splitlines()]


def edit_id(out: Path, stage: str, source: str) -> str:
    found = [e for e in edits_of(out, "intervention") if e["stage"] == stage and e["source"] == source
             and e["applied"]]
    assert found, f"the first run no longer makes a {stage} edit of {source!r}; choose another for this test"
    return str(found[0]["id"])


def reading_text(tei: bytes) -> str:
    """The TEI body as a reader who prefers the corrections reads it, whitespace collapsed."""
    root = etree.fromstring(tei)
    for lb in root.iter(f"{{{TEI_NS}}}lb"):  # a line break of the scan reads as a space
        lb.tail = " " + (lb.tail or "")
    texts = root.xpath("//t:text/t:body//text()[not(ancestor::t:sic) and not(ancestor::t:orig) and "
                       "not(ancestor::t:fw) and not(ancestor::t:note)]", namespaces=NS)
    return " ".join("".join(texts).split())


def test_review_in_the_browser_is_obeyed_by_the_next_run(browser: Any, project: Path, app: ReviewServer,
                                                         tmp_path: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    out = project / "cleaned"
    first_txt = (out / "intervention.txt").read_text(encoding="utf-8")
    assert "against the invaders" in first_txt and "Bolshevik organization in" in first_txt
    assert "1918, and" in first_txt, f"the first run no longer closes the space before a comma ({RULE})"
    rejected, typed = edit_id(out, "characters", "tbe"), edit_id(out, "characters", "organizatiox")
    wait = WebDriverWait(browser, WAIT)

    def keys(*pressed: str) -> None:
        ActionChains(browser).send_keys(*pressed).perform()

    def status_says(text: str) -> None:
        wait.until(ec.text_to_be_present_in_element((By.ID, "status"), text))

    def state_of(edit: str) -> str:
        return str(browser.find_element(By.CSS_SELECTOR, f"#c-{edit} .state").text)

    # 1. a document's changes in order: j moves down, r rejects the current change
    browser.get(app.url + "doc/intervention")
    assert "&lt;script&gt;" not in browser.title and not browser.find_elements(By.XPATH, "//h1//script")
    rows = [str(li.get_attribute("data-id")) for li in browser.find_elements(By.CSS_SELECTOR, "li.chg")]
    assert rejected in rows and typed in rows
    keys(*"j" * (rows.index(rejected) + 1))
    assert browser.find_element(By.CSS_SELECTOR, "li.chg.cur").get_attribute("data-id") == rejected
    keys("r")
    status_says(f"saved: reject {rejected}")
    assert state_of(rejected).startswith(f"reject · {REVIEWER}")

    # 2. back up with k to another change, c opens its correction field, Enter saves what was typed
    current = rows.index(rejected) + 1  # r moved on to the next change
    keys(*"k" * (current - rows.index(typed)) if current > rows.index(typed) else "j" * (rows.index(typed) - current))
    assert browser.find_element(By.CSS_SELECTOR, "li.chg.cur").get_attribute("data-id") == typed
    keys("c", "organisation", Keys.ENTER)
    status_says(f"saved: correct {typed}")
    assert state_of(typed).startswith(f"correct: “organisation” · {REVIEWER}")

    # 3. grouped by rule: reject every change of one rule in this document
    browser.get(app.url + "doc/intervention?order=rule")
    button = browser.find_element(By.CSS_SELECTOR, f'p.bulk[data-rule="{RULE}"] button[data-bulk="reject"]'
                                                   '[data-scope="doc"]')
    button.click()
    status_says(f"changes of {RULE}")
    ruled = browser.find_elements(By.CSS_SELECTOR, f'li.chg[data-rule="{RULE}"]')
    assert len(ruled) >= 2
    for li in ruled:
        assert "reject (whole rule)" in li.find_element(By.CSS_SELECTOR, ".state").text

    # the decisions file: two about single edits, one about the rule in this document
    stored = DecisionStore(default_path(out)).load()
    assert {k: (d.decision, d.text, d.by) for k, d in stored.items()} == {
        ("intervention", rejected): ("reject", None, REVIEWER),
        ("intervention", typed): ("correct", "organisation", REVIEWER),
        ("intervention", f"rule:{RULE}"): ("reject", None, REVIEWER)}

    # the review page as the server renders it now, tall enough for every group: the README's picture
    browser.set_window_size(1200, 1500)
    browser.get(app.url + "doc/intervention?order=rule")
    assert "reject (whole rule)" in browser.find_element(By.CSS_SELECTOR, f'li.chg[data-rule="{RULE}"]').text
    shot = tmp_path / "review-page.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("OCRCLEAN_SCREENSHOT") == "1":
        shutil.copyfile(shot, ROOT / "docs" / "review-page.png")

    # 4. the next run, with a line the rejected rule has never seen
    with (project / "raw" / "intervention.txt").open("a", encoding="utf-8") as fh:
        fh.write(ADDED)
    result = CliRunner().invoke(main, ["run", str(project / "raw"), str(out)])
    assert result.exit_code == 0, result.output
    assert "3 applied, 0 not applied" in result.stderr

    txt = (out / "intervention.txt").read_text(encoding="utf-8")
    assert "against tbe invaders ." in txt, "the rejected change and the rejected rule are undone"
    assert "Bolshevik organisation in Chita" in txt and "organization" not in txt, "the typed correction"
    assert "1918 , and" in txt and "1922 , after" in txt and "year ." in txt
    assert "in the autumn , by sea." in txt, "the rule's new edit is rejected too"
    assert "Monday, and" in (out / "minutes.txt").read_text(encoding="utf-8"), "other documents untouched"

    edits = edits_of(out, "intervention")
    ruled_edits = [e for e in edits if f"{e['stage']}/{e['rule']}" == RULE]
    assert len(ruled_edits) == len(ruled) + 1
    assert all(not e["applied"] and e["data"]["review"] == "rejected" for e in ruled_edits)
    review = [e for e in edits if e["stage"] == "review"]
    assert [(e["rule"], e["source"], e["after"], e["data"]["edit"]) for e in review] == [
        ("typed", "organizatiox", "organisation", typed)]

    tei = (out / "intervention.tei.xml").read_bytes()
    reading = reading_text(tei)
    assert "in 1918 , and the Bolshevik organisation in Chita mobilized its forces against tbe invaders ." in reading
    assert "in the autumn , by sea." in reading
    ids = set(etree.fromstring(tei).xpath("//@xml:id"))
    assert rejected not in ids and not ids & {e["id"] for e in ruled_edits}
    corr = etree.fromstring(tei).xpath("//t:corr[. = 'organisation']", namespaces=NS)
    assert len(corr) == 1 and corr[0].get("resp") == f"#reviewer.{REVIEWER}"
    assert restore_bytes(tei) == (INTERVENTION + ADDED).encode("utf-8"), "nothing lost"
