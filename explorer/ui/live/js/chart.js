// A Vega-Lite chart drawn by the page's one Vega runtime (see runtime.js), filling its column,
// with buttons that download it as PNG or SVG with its caption, source and link. When a lever
// changes only the chart's data, the drawn chart takes the new data; otherwise it is drawn anew.
function vega() {
  const registry = (globalThis.__explorerVega = globalThis.__explorerVega || {});
  if (registry.embed) return Promise.resolve(registry.embed);
  if (!registry.promise) {
    registry.promise = new Promise((resolve) => {
      registry.resolve = (embed) => { registry.embed = embed; resolve(embed); };
    });
  }
  return registry.promise;
}

// The spec with each inline data set moved to a named one: {shape, data}. Two specs of one shape
// differ only in their data.
function split(spec) {
  const data = {};
  const walk = (node) => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "data" && value && Array.isArray(value.values)) {
        const { values, ...rest } = value;
        const name = `source_${Object.keys(data).length}`;
        data[name] = values;
        out.data = { ...rest, name };
      } else {
        out[key] = walk(value);
      }
    }
    return out;
  };
  const shape = walk(structuredClone(spec));
  return { shape, data };
}

function download(name, url) {
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  setTimeout(() => { a.remove(); if (url.startsWith("blob:")) URL.revokeObjectURL(url); }, 1000);
}

function render({ model, el }) {
  const box = document.createElement("figure");
  box.className = `chart ${model.get("css")}`;
  const area = document.createElement("div");
  area.className = "chart-view";
  const caption = document.createElement("figcaption");
  const bar = document.createElement("div");
  bar.className = "chart-downloads";
  box.append(caption, area, bar);
  el.append(box);
  let current = null; // {key, view, finalize} of the drawn chart
  let wanted = 0;
  let queue = Promise.resolve();

  const drawNow = async (mine) => {
    const embed = await vega();
    const { shape, data } = split(model.get("spec"));
    const key = JSON.stringify(shape);
    if (current && current.key === key) {
      for (const [name, values] of Object.entries(data)) current.view.data(name, values);
      await current.view.runAsync();
    } else {
      if (current) current.finalize();
      current = null;
      const result = await embed(area, { ...shape, datasets: data }, {
        renderer: "svg", actions: false, formatLocale: model.get("locale"),
      });
      current = { key, view: result.view, finalize: result.finalize };
    }
    area.dataset.drawn = String(mine);
  };
  // One drawing at a time; of the changes that arrive meanwhile, only the newest is drawn.
  const draw = () => {
    const mine = ++wanted;
    queue = queue
      .then(() => (mine === wanted ? drawNow(mine) : null))
      .catch((error) => console.error("The chart could not be drawn:", error));
  };
  const exportAs = async (format) => {
    const embed = await vega();
    const holder = document.createElement("div");
    holder.style.cssText = "position:absolute;left:-10000px;top:0;width:760px";
    document.body.append(holder);
    try {
      const result = await embed(holder, structuredClone(model.get("export_spec")), {
        renderer: "svg", actions: false, formatLocale: model.get("locale"),
      });
      const name = `${model.get("file_stem")}.${format}`;
      if (format === "svg") {
        const svg = await result.view.toSVG();
        download(name, URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" })));
      } else {
        download(name, await result.view.toImageURL("png", 2));
      }
      result.finalize();
    } finally {
      holder.remove();
    }
  };
  const labels = () => {
    const texts = model.get("texts");
    caption.textContent = texts.caption || "";
    caption.hidden = !texts.caption;
    bar.replaceChildren();
    const lead = document.createElement("span");
    lead.textContent = texts.download || "";
    bar.append(lead);
    for (const format of ["png", "svg"]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `chart-download download-${format}`;
      button.textContent = format.toUpperCase();
      button.setAttribute("aria-label", `${format.toUpperCase()}: ${texts.download || ""} ${texts.title || ""}`);
      button.addEventListener("click", () => exportAs(format));
      bar.append(button);
    }
  };
  model.on("change:spec", draw);
  model.on("change:texts", labels);
  labels();
  draw();
  return () => { if (current) current.finalize(); };
}

export default { render };
