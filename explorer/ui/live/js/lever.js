// A lever: a labelled range slider and a number field that reads numbers as people type them.
// Python formats the value (`display`) and parses what is typed (`typed` -> `value` or `error`),
// so the page's language decides the decimal comma. Native inputs keep it usable by keyboard and
// screen readers: the slider has a <label>, the field an aria-label, the source a <details>.
let counter = 0;

function render({ model, el }) {
  const id = `lever-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  const box = document.createElement("div");
  box.className = `lever ${model.get("css")}`;
  const head = document.createElement("div");
  head.className = "lever-head";
  const label = document.createElement("label");
  label.htmlFor = model.get("slider") ? `${id}-range` : `${id}-text`;
  label.textContent = model.get("label");
  const text = document.createElement("input");
  text.type = "text";
  text.id = `${id}-text`;
  text.className = "lever-value";
  text.setAttribute("inputmode", "decimal");
  text.setAttribute("aria-label", model.get("label"));
  text.setAttribute("aria-describedby", `${id}-error`);
  head.append(label, text);
  box.append(head);

  let range = null;
  if (model.get("slider")) {
    range = document.createElement("input");
    range.type = "range";
    range.id = `${id}-range`;
    range.className = "lever-range";
    box.append(range);
  }
  const info = document.createElement("details");
  info.className = "lever-info";
  const summary = document.createElement("summary");
  const body = document.createElement("div");
  info.append(summary, body);
  box.append(info);
  const error = document.createElement("div");
  error.id = `${id}-error`;
  error.className = "lever-error";
  error.setAttribute("role", "alert");
  box.append(error);
  el.append(box);

  // While the slider moves, the value is shown by the field's number kind (Python's
  // numbers.intl): the same decimals and unit as `display`, which replaces it on release.
  const kind = model.get("number_format");
  const local = new Intl.NumberFormat(kind.locale, kind.options);
  const scaled = (value) => (kind.scale !== 1 ? value * kind.scale : value / kind.per);
  const format = (value) => `${kind.before}${local.format(scaled(value))}${kind.after}`;
  const show = () => {
    text.value = model.get("display");
    if (range) {
      range.min = model.get("min");
      range.max = model.get("max");
      range.step = model.get("step");
      range.value = model.get("value");
      range.setAttribute("aria-valuetext", model.get("display"));
    }
    error.textContent = model.get("error");
    box.classList.toggle("has-error", Boolean(model.get("error")));
    summary.textContent = model.get("info_title");
    body.innerHTML = model.get("info_html");
    info.hidden = !model.get("info_html");
  };
  let typed = 0;
  const send = () => {
    model.set("typed", JSON.stringify({ text: text.value, n: ++typed }));
    model.save_changes();
  };
  text.addEventListener("change", send);
  text.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); send(); } });
  if (range) {
    range.addEventListener("input", () => { text.value = format(Number(range.value)); });
    range.addEventListener("change", () => {
      model.set("value", Number(range.value));
      model.save_changes();
    });
  }
  for (const name of ["value", "min", "max", "step", "display", "error", "info_html", "info_title"]) {
    model.on(`change:${name}`, show);
  }
  show();
}

export default { render };
