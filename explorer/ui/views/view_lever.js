// A read view's browser lever (a page's ``browser_lever``), with no kernel. The server embeds, for
// every whole value of the lever's span, the KPI cards and the data of the chart that follows
// (#lever-data); moving the slider swaps the cards at once and redraws that chart from the page's
// own Vega-Lite spec with the Vega runtime, fetched on the first move. What follows is marked by
// the server with data attributes: the cards (data-lever-kpis), the chart (data-lever-chart), the
// lever's row in the list of inputs (data-name), the links to the live page (data-live), and the
// Share box's link and embed (data-share, data-embed), which keep the link's address where the
// moved scenario has none, its Python lines (data-python), and the download links of that chart and
// of the page's files (data-lever-file): where the site has no files of the moved value's (a baked
// site), they keep the link's files, dimmed, and a line beside them says so. What stays at the
// link's value is dimmed while the slider is elsewhere.
const data = JSON.parse(document.getElementById("lever-data").textContent);
const box = document.querySelector("[data-lever]");
const view = box.closest(".read-view") || document.body;
const input = box.querySelector("input");
const output = box.querySelector("output");
const note = box.querySelector(".view-lever-note");
const kpis = document.querySelector("[data-lever-kpis]");
const figure = document.querySelector("[data-lever-chart]");
const live = [...document.querySelectorAll("a[data-live]")];
const row = document.querySelector(`[data-name="${CSS.escape(data.field)}"]`);
const listed = row && row.querySelector("dd");
const shareUrl = document.querySelector("[data-share]");
const embedCode = document.querySelector("[data-embed]");
const shared = shareUrl && shareUrl.value;
const python = document.querySelector("[data-python]");
const files = [...document.querySelectorAll("a[data-lever-file]")];
const own = files.map((a) => a.getAttribute("href"));
const fileNotes = [...new Set(files.map((a) => a.parentElement))].map((parent) => {
  const line = document.createElement("span");
  line.className = "lever-files-note";
  line.textContent = data.files_note;
  line.hidden = true;
  parent.append(line);
  return line;
});
let runtime = null;
let drawn = null;
let wanted = data.index;
if (row) row.setAttribute("data-lever-input", "");

async function draw(i) {
  runtime = runtime || import(data.runtime);
  await runtime;
  if (i !== wanted) return;
  const embed = globalThis.__explorerVega.embed;
  let target = figure.querySelector(".chart-live");
  if (!target) {
    target = document.createElement("div");
    target.className = "chart-live";
    figure.querySelector("figcaption").after(target);
    figure.classList.add("redrawn");
  }
  const spec = structuredClone(data.specs[data.shapes[i]]);
  spec.data = { values: data.frames[i] };
  if (drawn) drawn.finalize();
  drawn = (await embed(target, spec, { actions: false, renderer: "svg", formatLocale: data.locale })).view;
}

function show(i) {
  wanted = i;
  output.textContent = data.shown[i];
  input.setAttribute("aria-valuetext", data.shown[i]);
  if (kpis) kpis.innerHTML = data.kpis[i];
  note.hidden = i === data.index;
  view.classList.toggle("lever-moved", i !== data.index);
  for (const a of live) if (data.live[i]) a.href = data.live[i];
  if (listed) listed.textContent = `${data.shown[i]} ${data.unit}`;
  if (shareUrl && embedCode) {
    const url = data.views[i] || shared;
    embedCode.value = embedCode.value.replace(shareUrl.value, url);
    shareUrl.value = url;
  }
  if (python && data.python) python.value = data.python[i];
  const hrefs = data.files[i];
  files.forEach((a, k) => {
    a.href = (hrefs && hrefs[a.dataset.leverFile]) || own[k];
    a.classList.toggle("lever-stale", !hrefs);
  });
  for (const line of fileNotes) line.hidden = Boolean(data.files[i]);
  if (figure) draw(i).catch((error) => console.error("The chart could not be redrawn:", error));
}

input.max = String(data.values.length - 1);
input.value = String(data.index);
output.textContent = data.shown[data.index];
input.addEventListener("input", () => show(Number(input.value)));
box.hidden = false;
