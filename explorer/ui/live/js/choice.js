// A labelled choice: a native <select> (one of several) or a checkbox (on or off).
let counter = 0;

function render({ model, el }) {
  const id = `choice-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  const box = document.createElement("div");
  box.className = `choice ${model.get("css")}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = model.get("label");
  let input;
  if (model.get("kind") === "toggle") {
    input = document.createElement("input");
    input.type = "checkbox";
    input.id = id;
    box.classList.add("toggle");
    box.append(input, label);
    input.addEventListener("change", () => {
      model.set("value", input.checked ? "1" : "0");
      model.save_changes();
    });
  } else {
    input = document.createElement("select");
    input.id = id;
    box.append(label, input);
    input.addEventListener("change", () => {
      model.set("value", input.value);
      model.save_changes();
    });
  }
  const show = () => {
    if (model.get("kind") === "toggle") {
      input.checked = model.get("value") === "1";
      return;
    }
    input.replaceChildren(...model.get("options").map(([value, text]) => {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = text;
      return option;
    }));
    input.value = model.get("value");
  };
  model.on("change:options", show);
  model.on("change:value", show);
  el.append(box);
  show();
}

export default { render };
