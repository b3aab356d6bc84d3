// For a page that embeds the explorer's views: each embedded view reports its content's height
// (postMessage), and its frame takes that height, so the embed never scrolls inside the article.
// A frame only ever takes the height its own view reports.
(() => {
  if (window.explorerEmbeds) return;
  window.explorerEmbeds = true;
  window.addEventListener("message", (event) => {
    const data = event.data;
    if (!data || data.type !== "explorer-embed-height") return;
    const height = Number(data.height);
    if (!Number.isFinite(height) || height < 100 || height > 10000) return;
    for (const frame of document.getElementsByTagName("iframe")) {
      if (frame.contentWindow === event.source) {
        frame.style.height = `${height}px`;
        frame.setAttribute("height", String(height));
      }
    }
  });
})();
