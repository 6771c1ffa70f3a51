"""The review page in a real browser: headless Chromium (driven by selenium and the system
chromedriver) opens the review of the reference case report, a click on a MedicationStatement row
highlights its box on the page (and scrolls it into view), a click on a box selects its row. A
screenshot is written under the test's tmp dir.

Needs Chromium and its driver (Debian/Ubuntu: ``apt-get install -y chromium chromium-driver``)
and selenium (``pip install selenium``). Without them these tests skip and say so.
``CASE2FHIR_REVIEW_SCREENSHOT=path.png`` also saves the reference screenshot there (docs/review.png)."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL = "install it with `apt-get install -y chromium chromium-driver` and `pip install selenium`"


def _chromium() -> tuple[str, str]:
    browser = os.environ.get("CHROMIUM") or next((p for p in map(shutil.which, CHROMIUMS) if p), None)
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    if not browser or not Path(browser).exists():
        pytest.skip(f"no Chromium found (looked for {', '.join(CHROMIUMS)}): {INSTALL}")
    if not driver or not Path(driver).exists():
        pytest.skip(f"Chromium found at {browser} but no chromedriver on PATH: {INSTALL}")
    return browser, driver


@pytest.fixture(scope="module")
def browser():
    pytest.importorskip("selenium", reason=f"selenium is not installed: {INSTALL}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = _chromium()
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,900", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--allow-file-access-from-files", "--no-first-run", "--disable-extensions"):
        opts.add_argument(arg)
    try:
        drv = webdriver.Chrome(service=Service(driver_path), options=opts)
    except Exception as exc:  # a broken install: say what failed rather than erroring every test
        pytest.skip(f"Chromium at {binary} did not start under {driver_path}: {exc.__class__.__name__}: "
                    f"{str(exc).splitlines()[0] if str(exc) else ''}")
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()


def _wait(fn, timeout=5.0):
    end = time.monotonic() + timeout
    while True:
        value = fn()
        if value or time.monotonic() > end:
            return value
        time.sleep(0.05)


def _in_view(drv, el, container_id="pages") -> bool:
    return drv.execute_script(
        "var r=arguments[0].getBoundingClientRect(), c=document.getElementById(arguments[1]).getBoundingClientRect();"
        "return r.width>0 && r.height>0 && r.top>=c.top && r.bottom<=c.bottom && r.left>=c.left && r.right<=c.right;",
        el, container_id)


def _check_click_row_then_box(drv, html_path: Path, shot: Path):
    from selenium.webdriver.common.by import By

    drv.get(html_path.resolve().as_uri())
    _wait(lambda: drv.execute_script("return document.readyState") == "complete", 30)
    rows = [r for r in drv.find_elements(By.CSS_SELECTOR, 'tr.row[data-type="MedicationStatement"]')
            if int(r.get_attribute("data-boxes")) > 0]
    assert rows, "the review lists no MedicationStatement with a box"
    row = rows[-1]  # the last one: the most likely to need a scroll
    key = row.get_attribute("data-key")
    boxes = drv.find_elements(By.CSS_SELECTOR, f'.box[data-key="{key}"]')
    assert boxes
    drv.execute_script("arguments[0].scrollIntoView({block:'center'})", row)
    row.click()
    assert _wait(lambda: "selected" in boxes[0].get_attribute("class").split()), "the row's box was not highlighted"
    assert "flash" in boxes[0].get_attribute("class").split()
    assert "selected" in row.get_attribute("class").split()
    assert _wait(lambda: _in_view(drv, boxes[0])), "the row's box was not scrolled into view"
    # the highlight is visible: the selected box has an outline
    outline = drv.execute_script("return getComputedStyle(arguments[0]).outlineStyle", boxes[0])
    assert outline == "solid"
    # the inspector shows the FHIR resource the row became
    inspector = drv.find_element(By.ID, "inspector")
    assert _wait(inspector.is_displayed), "the inspector did not open"
    assert '"resourceType": "MedicationStatement"' in drv.find_element(By.ID, "ijson").get_attribute("textContent")
    assert key.split("/")[1] in drv.find_element(By.ID, "ijson").get_attribute("textContent")
    # only this resource's boxes are selected
    selected = drv.find_elements(By.CSS_SELECTOR, ".box.selected")
    assert {b.get_attribute("data-key") for b in selected} == {key}
    time.sleep(0.4)  # mid-flash, for the screenshot
    drv.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    # and back: clicking another box selects its row
    other = next((b for b in drv.find_elements(By.CSS_SELECTOR, ".box") if b.get_attribute("data-key") != key
                  and b.is_displayed() and b.get_attribute("data-type") != "Skipped"), None)
    if other is not None:
        drv.execute_script("arguments[0].scrollIntoView({block:'center'})", other)
        drv.execute_script("arguments[0].click()", other)
        other_row = drv.find_element(By.CSS_SELECTOR, f'tr.row[data-key="{other.get_attribute("data-key")}"]')
        assert _wait(lambda: "selected" in other_row.get_attribute("class").split())
        assert "selected" not in row.get_attribute("class").split()
    return key


def test_reference_review_click_medication_row_highlights_its_box(browser, tmp_path):
    from converter.review import review
    from tests.test_review import reference

    pdf, bundle, facts, document, elapsed = reference()
    html_path = tmp_path / "calcinosis_cutis.review.html"
    html_path.write_text(review(bundle, pdf, facts=facts, document=document, elapsed=elapsed), encoding="utf-8")
    shot = tmp_path / "review.png"
    key = _check_click_row_then_box(browser, html_path, shot)
    if os.environ.get("CASE2FHIR_REVIEW_SCREENSHOT"):
        _docs_screenshot(browser, html_path, key, Path(os.environ["CASE2FHIR_REVIEW_SCREENSHOT"]))


def test_hand_made_review_in_the_browser(browser, tmp_path):
    """The same interaction on the hand-made two-page PDF of test_review (no shared data needed)."""
    from converter.review import review
    from tests.test_review import draw_pdf, hand_made

    pdf = draw_pdf(tmp_path / "case.pdf")
    bundle, facts, blocks, _w = hand_made(pdf)
    html_path = tmp_path / "case.review.html"
    html_path.write_text(review(bundle, pdf, facts=facts, blocks=blocks, elapsed=0.1), encoding="utf-8")
    _check_click_row_then_box(browser, html_path, tmp_path / "hand_made.png")


def _docs_screenshot(drv, html_path: Path, key: str, out: Path):
    """A screenshot for the README with the medication selected (a palette PNG when over 290 KB)."""
    from selenium.webdriver.common.by import By

    drv.get("about:blank")  # a fresh load: the page selects the row named by the fragment
    drv.get(html_path.resolve().as_uri() + "#" + key)
    _wait(lambda: drv.execute_script("return document.readyState") == "complete", 30)
    time.sleep(2.0)  # let the flash animation end
    box = drv.find_element(By.CSS_SELECTOR, f'.box[data-key="{key}"]')
    assert _wait(lambda: _in_view(drv, box))
    raw = out.with_suffix(".raw.png")
    drv.save_screenshot(str(raw))
    if raw.stat().st_size < 290_000:
        raw.replace(out)
        return
    try:
        from PIL import Image

        img = Image.open(raw).convert("RGB")
        img.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(out, optimize=True)
    finally:
        raw.unlink(missing_ok=True)
