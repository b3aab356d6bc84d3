// Loads the page's Vega runtime (runtime.js bundled with Vega) from the address the server gives,
// where the browser keeps it between pages; the bundle hands Vega-Embed to the charts (chart.js).
export default {
  initialize({ model }) {
    const registry = (globalThis.__explorerVega = globalThis.__explorerVega || {});
    if (registry.loading) return;
    const url = new URL(model.get("url"), window.location.href).href;
    registry.loading = import(url).catch((error) => {
      registry.loading = null;
      console.error("The Vega runtime could not be loaded:", error);
    });
  },
};
