// The page's one copy of Vega, Vega-Lite and Vega-Embed (bundled offline by vl-convert). Every
// chart on the page waits for it (chart.js), so the libraries cross the websocket once per page.
const registry = (globalThis.__explorerVega = globalThis.__explorerVega || {});
registry.embed = vegaEmbed;
if (registry.resolve) registry.resolve(vegaEmbed);

export default { render() {} };
