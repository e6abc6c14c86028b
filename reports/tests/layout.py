"""Measures index.html in headless Chromium: the widest element against the page's width, with
every <details> opened (what a reader can unfold must fit too); the images the page shows and
those that did not decode; and the errors the page raised (a script's, or a resource's that
failed to load), caught from the top of <head>."""

import html
import json
import os
import re
import subprocess

from gpuqual_reports import pdf

_PROBE = """<script>
window.addEventListener('load', () => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > width + 0.5 || r.left < -0.5)) {
      wide.push(el.tagName + (el.id ? '#' + el.id : '') + ' right=' + Math.round(r.right));
    }
  }
  const images = Array.from(document.images);
  const broken = images.filter(i => !(i.complete && i.naturalWidth > 0)).length;
  const out = document.createElement('pre');
  out.id = 'gq-layout';
  out.textContent = JSON.stringify({width: width, scroll_width: document.documentElement.scrollWidth,
                                    wide: wide.slice(0, 12), count: wide.length, images: images.length,
                                    broken: broken,
                                    errors: window.gqErrors || []});
  document.body.appendChild(out);
});
</script>"""
# First in <head>: every error event (capture phase, so an <img> that fails counts too).
_ERRORS = ("<script>window.gqErrors = []; window.addEventListener('error', e => window.gqErrors.push("
           "String(e.message || (e.target && e.target.tagName))), true);</script>")


def measure(html_path, width, work_dir):
    """{"width", "scroll_width", "wide": [...], "count", "images", "broken", "errors": [...]} of
    html_path laid out `width` px wide."""
    with open(html_path, encoding="utf-8") as f:
        page = f.read().replace("<head>", "<head>" + _ERRORS, 1)
    probe = os.path.join(str(work_dir), f"probe-{width}.html")
    with open(probe, "w", encoding="utf-8") as f:
        f.write(page.replace("</body>", _PROBE + "</body>"))
    argv = pdf.chromium_argv(pdf.find_chromium(), os.path.join(str(work_dir), f"profile-{width}")) + [
        f"--window-size={width},1000", "--virtual-time-budget=15000", "--dump-dom", f"file://{os.path.abspath(probe)}"]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=180, check=False)
    found = re.search(r'<pre id="gq-layout">(.*?)</pre>', proc.stdout, re.S)
    assert found, f"no measurement from chromium (exit {proc.returncode}): {proc.stderr[-500:]}"
    return json.loads(html.unescape(found.group(1)))
