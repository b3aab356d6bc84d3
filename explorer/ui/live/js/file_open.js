// Open a file from the reader's device: a labelled native file input, styled as a button. The
// file's bytes go to the kernel in one message; a file over the size limit is refused here.
function render({ model, el }) {
  const label = document.createElement("label");
  label.className = `file-open ${model.get("css")}`;
  const text = document.createElement("span");
  const input = document.createElement("input");
  input.type = "file";
  input.className = "file-open-input";
  label.append(text, input);
  el.append(label);
  const show = () => {
    text.textContent = model.get("label");
    input.accept = model.get("accept");
  };
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    if (file.size > model.get("max_bytes")) {
      model.send({ name: file.name, size: file.size });
      return;
    }
    const data = await file.arrayBuffer();
    model.send({ name: file.name, size: file.size }, undefined, [data]);
  });
  model.on("change:label", show);
  show();
}

export default { render };
