// The page's frame: links to every page carrying the scenario, the language switch, Share (copy
// the link, or an embed snippet for articles), the address bar kept in step with the scenario,
// downloads handed over by the kernel, and a notice within seconds if the connection is lost.
// It tells the kernel the page's address (``location``), so that every download links to it.
// When the server also serves read views (``views``), Share's link and embed are the read view
// of this state, and the live page's link is offered beside them. Every address comes from the
// kernel (``links``, from explorer.ui.content.addresses): the pages' links and the read view's;
// so does the embed snippet's form (``embed``: its query, script and heights).
const PING_EVERY = 4000;
const LOST_AFTER = 11000;

function render({ model, el }) {
  const texts = () => model.get("texts");
  const root = document.createElement("div");
  root.className = "chrome";
  const nav = document.createElement("nav");
  nav.className = "site-nav";
  const share = document.createElement("button");
  share.type = "button";
  share.className = "share-button";
  share.setAttribute("aria-expanded", "false");
  const panel = document.createElement("div");
  panel.className = "share-panel";
  panel.hidden = true;
  const lost = document.createElement("div");
  lost.className = "connection-lost";
  lost.setAttribute("role", "alert");
  lost.hidden = true;
  // First in the tab order: straight to the numbers (on a phone the levers are drawn below the
  // results, but a keyboard or screen reader still meets them first without this link).
  const skip = document.createElement("a");
  skip.className = "skip-link";
  skip.href = "#";
  skip.addEventListener("click", (event) => {
    event.preventDefault();
    const results = document.querySelector(".app .results");
    if (!results) return;
    results.setAttribute("tabindex", "-1");
    results.focus();
    results.scrollIntoView({ block: "start" });
  });
  root.append(skip, nav, panel, lost);
  el.append(root);

  const withQuery = (link, query) => `${link}${query ? "?" + query : ""}`;
  const href = (page, query) => withQuery(model.get("links").pages[page], query);
  const here = () => `${window.location.origin}${window.location.pathname}`;
  const pageUrl = () => {
    const q = model.get("query");
    return `${here()}${q ? "?" + q : ""}`;
  };
  // the read view of this state, as a whole address; null without read views
  const viewUrl = () => {
    const view = model.get("links").view;
    if (!model.get("views") || !view) return null;
    const url = new URL(view, window.location.href);
    return withQuery(`${url.origin}${url.pathname}`, model.get("query"));
  };

  const drawNav = () => {
    const t = texts();
    nav.setAttribute("aria-label", t.nav || "");
    skip.textContent = t.skip || "";
    nav.replaceChildren();
    const list = document.createElement("ul");
    for (const [page, label] of model.get("pages")) {
      const item = document.createElement("li");
      const a = document.createElement("a");
      a.href = href(page, model.get("query"));
      a.textContent = label;
      a.className = `page-link page-${page}`;
      if (page === model.get("page")) a.setAttribute("aria-current", "page");
      item.append(a);
      list.append(item);
    }
    const tools = document.createElement("div");
    tools.className = "site-tools";
    const lang = document.createElement("a");
    lang.className = "lang-link";
    lang.href = href(model.get("page"), model.get("other_query"));
    lang.textContent = t.other_lang;
    lang.setAttribute("hreflang", t.other_code);
    lang.setAttribute("lang", t.other_code);
    share.textContent = t.share;
    tools.append(lang, share);
    nav.append(list, tools);
  };

  const drawPanel = () => {
    const t = texts();
    panel.replaceChildren();
    const live = pageUrl();
    const view = viewUrl();
    const url = view || live;
    const field = (text, value, className) => {
      const label = document.createElement("label");
      label.textContent = text;
      const input = document.createElement("input");
      input.type = "text";
      input.readOnly = true;
      input.value = value;
      input.className = className;
      label.append(input);
      return [label, input];
    };
    const [linkLabel, link] = field(t.link, url, "share-url");
    const copy = document.createElement("button");
    copy.type = "button";
    copy.className = "copy-link";
    copy.textContent = t.copy;
    const done = document.createElement("span");
    done.className = "copied";
    done.setAttribute("aria-live", "polite");
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(url);
      } catch (e) {
        link.select();
        document.execCommand("copy");
      }
      done.textContent = t.copied;
    });
    const embedLabel = document.createElement("label");
    embedLabel.textContent = t.embed;
    const embed = document.createElement("textarea");
    embed.readOnly = true;
    embed.rows = 3;
    embed.className = "embed-code";
    // the read view's embed form (no menu, its height reported to embed.js), else the page
    const form = model.get("embed");
    const frame = view ? `${view}${view.includes("?") ? "&" : "?"}${form.param}` : url;
    const script = view
      ? `\n<script src="${new URL(form.script, window.location.href).href}" async></script>`
      : "";
    const height = view ? form.height : form.live_height;
    embed.value = `<iframe src="${frame}" width="100%" height="${height}" style="border:0" title="${t.embed_title}" loading="lazy"></iframe>${script}`;
    embedLabel.append(embed);
    panel.append(linkLabel, copy, done);
    if (view) panel.append(field(t.live_link, live, "share-url share-live-url")[0]);
    if (form.param) panel.append(embedLabel); // a page with no numbers has no embed
    const python = model.get("python");
    if (python) {
      const label = document.createElement("label");
      label.textContent = t.python;
      const code = document.createElement("textarea");
      code.readOnly = true;
      code.rows = Math.min(python.split("\n").length, 12);
      code.className = "python-code";
      code.spellcheck = false;
      code.value = python;
      label.append(code);
      panel.append(label);
    }
    // the read view's table and numbers of this state (only where read views are served)
    const data = Object.entries(model.get("data") || {});
    if (view && data.length) {
      const line = document.createElement("p");
      line.className = "share-data";
      line.append(t.data);
      for (const [key, path] of data) {
        const a = document.createElement("a");
        a.className = `data-${key}`;
        a.href = withQuery(new URL(path, window.location.href).href, model.get("query"));
        a.download = "";
        a.textContent = t[`data_${key}`] || key.toUpperCase();
        line.append(" ", a);
      }
      panel.append(line);
    }
  };

  share.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    share.setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden) drawPanel();
  });

  const sync = () => {
    const q = model.get("query");
    window.history.replaceState(null, "", `${window.location.pathname}${q ? "?" + q : ""}`);
    drawNav();
    if (!panel.hidden) drawPanel();
  };
  model.on("change:query", sync);
  model.on("change:python", () => { if (!panel.hidden) drawPanel(); });
  model.on("change:texts", () => { drawNav(); if (!panel.hidden) drawPanel(); });

  model.on("msg:custom", (msg) => {
    if (msg.pong !== undefined) {
      lastPong = Date.now();
      lost.hidden = true;
      return;
    }
    if (msg.file) {
      const bytes = Uint8Array.from(atob(msg.b64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: msg.mime }));
      const a = document.createElement("a");
      a.href = url;
      a.download = msg.file;
      document.body.append(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
    }
  });

  let lastPong = Date.now();
  let n = 0;
  const beat = setInterval(() => {
    try {
      model.send({ ping: ++n });
    } catch (e) {
      // the comm is gone: the check below shows the notice
    }
    if (Date.now() - lastPong > LOST_AFTER && lost.hidden) {
      const t = texts();
      lost.replaceChildren();
      const words = document.createElement("span");
      words.textContent = t.lost;
      const again = document.createElement("a");
      again.href = pageUrl();
      again.className = "reload";
      again.textContent = t.reload;
      lost.append(words, " ", again);
      lost.hidden = false;
    }
  }, PING_EVERY);

  if (model.get("location") !== here()) {
    model.set("location", here());
    model.save_changes();
  }
  model.on("change:views", () => { if (!panel.hidden) drawPanel(); });
  sync();
  return () => clearInterval(beat);
}

export default { render };
