// Inside an embedded view: tell the page that embeds it how tall the content is, whenever that
// changes, so that the host's embed.js can size the frame to it (no inner scroll bar).
const send = () => {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  window.parent.postMessage({ type: "explorer-embed-height", height }, "*");
};
new ResizeObserver(send).observe(document.documentElement);
window.addEventListener("load", send);
