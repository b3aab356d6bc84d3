// The explorer's read view: the caseload lever without a kernel. The server embeds the KPI cards
// and the cumulative chart's data for every whole caseload of the lever's span (#lever-data);
// moving the slider swaps the cards at once and redraws the chart from the page's own Vega-Lite
// spec with the Vega runtime, fetched on the first move; the caseload in the list of inputs, the
// links to the live page and the Share box's link and embed follow. Other levers: "Change the
// numbers". What stays at the link's caseload is dimmed while the slider is elsewhere.
const data = JSON.parse(document.getElementById("lever-data").textContent);
const view = document.querySelector(".read-view");
const box = document.querySelector(".view-lever");
const input = box.querySelector("input");
const output = box.querySelector("output");
const note = box.querySelector(".view-lever-note");
const kpis = document.querySelector(".results .kpis");
const figure = document.querySelector("figure.chart-cumulative");
const live = [...document.querySelectorAll("a.change-numbers, a.change-link, a.live-link")];
const listed = document.querySelector(".inputs [data-name='caseload_after'] dd");
const shareUrl = document.querySelector(".read-share .share-url");
const embedCode = document.querySelector(".read-share .embed-code");
let runtime = null;
let drawn = null;
let wanted = data.index;

async function draw(i) {
  runtime = runtime || import(data.runtime);
  await runtime;
  if (i !== wanted) return;
  const embed = globalThis.__explorerVega.embed;
  let target = figure.querySelector(".chart-live");
  if (!target) {
    target = document.createElement("div");
    target.className = "chart-live";
    figure.querySelector(".chart-wide").after(target);
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
  kpis.innerHTML = data.kpis[i];
  note.hidden = i === data.index;
  view.classList.toggle("lever-moved", i !== data.index);
  for (const a of live) a.href = data.live[i];
  if (listed) listed.textContent = `${data.shown[i]} ${data.unit}`;
  if (shareUrl && embedCode) {
    embedCode.value = embedCode.value.replace(shareUrl.value, data.views[i]);
    shareUrl.value = data.views[i];
  }
  draw(i).catch((error) => console.error("The chart could not be redrawn:", error));
}

input.max = String(data.values.length - 1);
input.value = String(data.index);
output.textContent = data.shown[data.index];
input.addEventListener("input", () => show(Number(input.value)));
box.hidden = false;
