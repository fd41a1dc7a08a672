// Used by scripts/render-reports.sh, never by a report (reports carry no scripts). The page to
// measure is loaded into an iframe exactly as wide as a phone (390 px: headless Chromium will
// not make its window narrower than 500 px), and once it is laid out this measures the
// smallest chart text as it renders — SVG font size × rendered width ÷ viewBox width over the
// charts that are shown, and the font size of the HTML text of the charts' phone forms and
// legends — and whether the page is wider than the frame. It writes the result into this
// page's title, which `chromium --dump-dom` prints.
window.addEventListener("load", () => {
  const frame = document.getElementById("page");
  const doc = frame.contentDocument;
  const win = frame.contentWindow;
  if (!doc || !doc.body) {
    document.title = "MEASURE failed: the page could not be read";
    return;
  }
  let smallest = Infinity;
  let sample = "";
  const consider = (size, text) => {
    if (size < smallest) {
      smallest = size;
      sample = text.trim().slice(0, 40);
    }
  };
  for (const svg of doc.querySelectorAll("svg")) {
    const box = svg.getBoundingClientRect();
    const view = svg.viewBox && svg.viewBox.baseVal;
    if (box.width === 0 || !view || !view.width) continue;
    const scale = box.width / view.width;
    for (const text of svg.querySelectorAll("text")) {
      if (!text.textContent.trim()) continue;
      consider(parseFloat(win.getComputedStyle(text).fontSize) * scale, text.textContent);
    }
  }
  // The charts' HTML text: the phone forms of the charts and the legends that key them.
  for (const element of doc.querySelectorAll(".compact *, .legend, .legend *")) {
    if (!element.getClientRects().length || element.closest("svg")) continue;
    const own = [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim());
    if (own) consider(parseFloat(win.getComputedStyle(element).fontSize), element.textContent);
  }
  const overflow = doc.documentElement.scrollWidth - win.innerWidth;
  document.title =
    "MEASURE width=" + win.innerWidth + " smallest=" + (smallest === Infinity ? "none" : smallest.toFixed(2)) +
    " overflow=" + overflow + " sample=" + JSON.stringify(sample);
});
