// A Vega-Lite chart drawn by the page's one Vega runtime (see runtime.js), filling its column,
// with buttons that download it as PNG or SVG with its caption, source and link.
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
  const view = document.createElement("div");
  view.className = "chart-view";
  const caption = document.createElement("figcaption");
  const bar = document.createElement("div");
  bar.className = "chart-downloads";
  box.append(caption, view, bar);
  el.append(box);
  let finalize = null;
  let drawn = 0;

  const draw = async () => {
    const embed = await vega();
    const spec = structuredClone(model.get("spec"));
    if (finalize) finalize();
    const mine = ++drawn;
    const result = await embed(view, spec, {
      renderer: "svg", actions: false, formatLocale: model.get("locale"),
    });
    if (mine !== drawn) { result.finalize(); return; }
    finalize = result.finalize;
    view.dataset.drawn = String(mine);
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
  return () => { if (finalize) finalize(); };
}

export default { render };
