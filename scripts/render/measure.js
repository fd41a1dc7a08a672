// Appended to a copy of a rendered page by scripts/render-reports.sh (never to the report
// itself, which carries no scripts): measures, after layout, the smallest chart text as it
// renders — SVG font size × rendered width ÷ viewBox width, over the charts that are shown —
// and whether the page is wider than the window. Writes the result into the page's title,
// which `chromium --dump-dom` prints.
(() => {
  let smallest = Infinity;
  let sample = "";
  for (const svg of document.querySelectorAll("svg")) {
    const box = svg.getBoundingClientRect();
    const view = svg.viewBox && svg.viewBox.baseVal;
    if (box.width === 0 || !view || !view.width) continue;
    const scale = box.width / view.width;
    for (const text of svg.querySelectorAll("text")) {
      if (!text.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (size < smallest) {
        smallest = size;
        sample = text.textContent.trim().slice(0, 40);
      }
    }
  }
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  document.title =
    "MEASURE width=" + window.innerWidth + " smallest=" + (smallest === Infinity ? "none" : smallest.toFixed(2)) +
    " overflow=" + overflow + " sample=" + JSON.stringify(sample);
})();
