// A labelled text field, one line or several; the kernel hears the text when the reader leaves
// the field or presses Enter (one line).
let counter = 0;

function render({ model, el }) {
  const id = `text-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  const box = document.createElement("div");
  box.className = `text-field ${model.get("css")}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  const input = document.createElement(model.get("lines") > 1 ? "textarea" : "input");
  input.id = id;
  if (model.get("lines") > 1) input.rows = model.get("lines");
  else input.type = "text";
  input.maxLength = model.get("max_length");
  box.append(label, input);
  el.append(box);
  const show = () => {
    label.textContent = model.get("label");
    input.placeholder = model.get("placeholder");
    input.disabled = model.get("disabled");
    if (input.value !== model.get("value")) input.value = model.get("value");
  };
  const send = () => {
    if (input.value === model.get("value")) return;
    model.set("value", input.value);
    model.save_changes();
  };
  input.addEventListener("change", send);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && input.tagName === "INPUT") send();
  });
  for (const name of ["label", "placeholder", "disabled", "value"]) model.on(`change:${name}`, show);
  show();
}

export default { render };
