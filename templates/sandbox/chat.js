{% verbatim %}
/* Sandbox chat: shows what the bot sent (polled from the Cloud API stand-in) and posts
   what the person does to /sandbox/send, which turns it into a signed Meta webhook. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("sandbox-config").textContent);
  const $ = (id) => document.getElementById(id);
  const copy = {};
  document.querySelectorAll("#error-copy li").forEach((li) => { copy[li.dataset.code] = li.textContent.trim(); });
  const errorText = (code) => copy[code] || copy.unknown;

  const messagesEl = $("messages");
  const introEl = messagesEl.querySelector(".day-chip");
  const subEl = $("chat-sub");
  const TYPING_MS = 12000;
  const STATUS_DELAY_MS = 1500;

  let waId = "";
  let profileName = "";
  let state = fresh();
  let polling = false;
  let offline = false;
  let typingUntil = 0;
  let sendChain = Promise.resolve();
  let statusTimer = null;
  const unread = new Set();
  const undelivered = new Set();
  let localSeq = 0;

  // --- Transcript, kept per number for the browser tab ---------------------------------------
  function fresh() { return { entries: [], lastSeq: 0 }; }
  function key(wa) { return "proalto-sandbox:" + wa; }
  function load(wa) {
    try {
      const stored = JSON.parse(sessionStorage.getItem(key(wa)));
      if (stored && Array.isArray(stored.entries)) return stored;
    } catch (e) { /* a broken entry is replaced */ }
    return fresh();
  }
  function save() {
    try { sessionStorage.setItem(key(waId), JSON.stringify(state)); } catch (e) { /* storage full: keep going */ }
  }

  // --- Formatting --------------------------------------------------------------------------------
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }
  // WhatsApp's own markup: *bold*, _italic_, ~strike~, ```mono```, and links.
  function formatText(s) {
    let h = escapeHtml(s);
    h = h.replace(/```([^`]+)```/g, "<code>$1</code>");
    h = h.replace(/(https?:\/\/[^\s<]+[^\s<.,;:!?)\]])/g, '<a href="$1" target="_blank" rel="noopener noreferrer">$1</a>');
    h = h.replace(/(^|[\s(¡¿])\*([^*\n]+)\*(?=$|[\s).,;:!?])/g, "$1<strong>$2</strong>");
    h = h.replace(/(^|[\s(¡¿])_([^_\n]+)_(?=$|[\s).,;:!?])/g, "$1<em>$2</em>");
    h = h.replace(/(^|[\s(¡¿])~([^~\n]+)~(?=$|[\s).,;:!?])/g, "$1<del>$2</del>");
    return h;
  }
  function clock(ms) {
    const d = new Date(ms);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }
  function mediaUrl(id) { return config.graph + "/_standin/media/" + encodeURIComponent(id); }
  function node(tag, cls, text) {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  }
  function textNode(s) {
    const n = node("div", "text");
    n.innerHTML = formatText(s);
    return n;
  }
  function metaNode(entry) {
    const meta = node("span", "meta", clock(entry.at));
    if (entry.who === "me") {
      const ticks = { pending: ["🕓", ""], delivered: ["✓✓", ""], read: ["✓✓", "read"], failed: ["⚠", "failed"] }[entry.status];
      const t = node("span", "ticks " + ticks[1], ticks[0]);
      t.title = { pending: "Enviando", delivered: "Entregado", read: "Leído", failed: "No enviado" }[entry.status];
      t.dataset.status = entry.status;
      meta.appendChild(t);
    }
    return meta;
  }
  function documentNode(id, filename, mime) {
    const box = node("div", "doc");
    const ext = (filename.split(".").pop() || "").slice(0, 4).toUpperCase();
    box.appendChild(node("div", "doc-icon", mime === "application/pdf" || ext === "PDF" ? "PDF" : ext || "DOC"));
    const info = node("div");
    info.appendChild(node("div", "doc-name", filename || "documento"));
    info.appendChild(node("div", "doc-size", mime || ""));
    box.appendChild(info);
    if (id) {
      const a = node("a", "download", "⬇");
      a.href = mediaUrl(id);
      a.setAttribute("download", filename || "documento");
      a.title = "Descargar";
      a.setAttribute("aria-label", "Descargar " + (filename || "documento"));
      box.appendChild(a);
    }
    return box;
  }

  // --- Rendering ---------------------------------------------------------------------------------
  function botBubble(entry, row) {
    const p = entry.payload;
    const bubble = node("div", "bubble");
    if (p.type === "text") {
      bubble.appendChild(textNode(p.text.body));
    } else if (p.type === "interactive") {
      const i = p.interactive;
      if (i.header && i.header.text) bubble.appendChild(node("div", "header", i.header.text));
      bubble.appendChild(textNode(i.body.text));
      if (i.footer && i.footer.text) bubble.appendChild(node("div", "footer", i.footer.text));
      if (i.type === "list") {
        bubble.appendChild(metaNode(entry));
        const open = node("button", "list-open", "☰  " + i.action.button);
        open.type = "button";
        open.addEventListener("click", () => openSheet(i));
        bubble.appendChild(open);
        row.appendChild(bubble);
        return;
      }
      if (i.type === "button") {
        bubble.appendChild(metaNode(entry));
        row.appendChild(bubble);
        const choices = node("div", "choices");
        i.action.buttons.forEach((b) => {
          const btn = node("button", "choice", b.reply.title);
          btn.type = "button";
          btn.dataset.choiceId = b.reply.id;
          btn.addEventListener("click", () => sendChoice("button", b.reply.id, b.reply.title));
          choices.appendChild(btn);
        });
        row.appendChild(choices);
        return;
      }
    } else if (p.type === "document") {
      bubble.appendChild(documentNode(p.document.id, p.document.filename || "documento.pdf", ""));
      if (p.document.caption) bubble.appendChild(textNode(p.document.caption));
    } else if (p.type === "image") {
      const img = node("img");
      img.src = mediaUrl(p.image.id);
      img.alt = p.image.caption || "Imagen";
      bubble.appendChild(img);
      if (p.image.caption) bubble.appendChild(textNode(p.image.caption));
    } else if (p.type === "template") {
      templateInto(bubble, p.template);
    } else {
      bubble.appendChild(node("div", "text muted", "[" + p.type + "]"));
    }
    bubble.appendChild(metaNode(entry));
    row.appendChild(bubble);
  }

  // Template messages carry only a name and parameters (the copy is approved at Meta):
  // show the name and the values readably, with the copy-code button of OTP templates.
  function templateInto(bubble, t) {
    bubble.classList.add("template");
    bubble.appendChild(node("div", "tag", "Plantilla · " + t.name + (t.language ? " (" + t.language.code + ")" : "")));
    const components = t.components || [];
    const body = components.filter((c) => c.type === "body").flatMap((c) => c.parameters || []);
    const buttons = components.filter((c) => c.type === "button").flatMap((c) => c.parameters || []);
    if (buttons.length && body.length === 1) {
      // Meta's fixed copy for authentication (one-time code) templates.
      bubble.appendChild(textNode("*" + (body[0].text || "") + "* es tu código de verificación. Por tu seguridad, no lo compartas."));
    } else if (body.length) {
      const params = node("div", "params");
      body.forEach((prm) => params.appendChild(node("span", "param", prm.text || prm[prm.type] || "")));
      bubble.appendChild(params);
    } else {
      bubble.appendChild(node("div", "text muted", "Mensaje de plantilla sin parámetros"));
    }
    buttons.forEach((prm) => {
      const value = prm.text || "";
      const btn = node("button", "choice", "📋 Copiar código");
      btn.type = "button";
      btn.addEventListener("click", () => {
        if (navigator.clipboard) navigator.clipboard.writeText(value).catch(() => {});
        btn.textContent = "Copiado: " + value;
      });
      bubble.appendChild(btn);
    });
  }

  function myBubble(entry, row) {
    const bubble = node("div", "bubble");
    if (entry.kind === "file") {
      if (entry.isImage && entry.mediaId) {
        const img = node("img");
        img.src = mediaUrl(entry.mediaId);
        img.alt = entry.filename;
        bubble.appendChild(img);
      } else {
        bubble.appendChild(documentNode(entry.mediaId, entry.filename, entry.mime));
      }
    } else {
      bubble.appendChild(textNode(entry.text));
    }
    bubble.appendChild(metaNode(entry));
    row.appendChild(bubble);
    if (entry.status === "failed" && entry.error) row.appendChild(node("div", "fail-note", entry.error));
  }

  function renderAll() {
    const nearBottom = messagesEl.scrollHeight - messagesEl.scrollTop - messagesEl.clientHeight < 120;
    messagesEl.replaceChildren(introEl);
    state.entries.forEach((entry) => {
      const row = node("div", "row " + (entry.who === "me" ? "out" : "in"));
      row.dataset.who = entry.who;
      if (entry.who === "me") myBubble(entry, row); else botBubble(entry, row);
      messagesEl.appendChild(row);
    });
    const typing = Date.now() < typingUntil;
    if (typing) messagesEl.appendChild(node("div", "typing", "escribiendo…"));
    subEl.textContent = offline ? "sin conexión con el servidor" : typing ? "escribiendo…" : "en línea";
    if (nearBottom || typing) messagesEl.scrollTop = messagesEl.scrollHeight;
  }

  // --- The list sheet ----------------------------------------------------------------------------
  let sheetChoice = null;
  function openSheet(interactive) {
    sheetChoice = null;
    $("sheet-title").textContent = interactive.action.button;
    const body = $("sheet-body");
    body.replaceChildren();
    interactive.action.sections.forEach((section) => {
      if (section.title) body.appendChild(node("div", "sheet-section", section.title));
      section.rows.forEach((r) => {
        const row = node("button", "sheet-row");
        row.type = "button";
        row.setAttribute("role", "radio");
        row.setAttribute("aria-checked", "false");
        row.dataset.rowId = r.id;
        const label = node("span");
        label.appendChild(node("span", "r-title", r.title));
        if (r.description) label.appendChild(node("span", "r-desc", r.description));
        row.appendChild(label);
        row.appendChild(node("span", "radio"));
        row.addEventListener("click", () => {
          body.querySelectorAll(".sheet-row").forEach((x) => x.setAttribute("aria-checked", "false"));
          row.setAttribute("aria-checked", "true");
          sheetChoice = r;
          $("sheet-send").disabled = false;
        });
        body.appendChild(row);
      });
    });
    $("sheet-send").disabled = true;
    $("list-sheet").hidden = false;
  }
  function closeSheet() { $("list-sheet").hidden = true; }
  $("sheet-close").addEventListener("click", closeSheet);
  $("list-sheet").addEventListener("click", (e) => { if (e.target === $("list-sheet")) closeSheet(); });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") closeSheet(); });
  $("sheet-send").addEventListener("click", () => {
    if (!sheetChoice) return;
    closeSheet();
    sendChoice("list", sheetChoice.id, sheetChoice.title);
  });

  // --- Sending -----------------------------------------------------------------------------------
  async function post(url, form) {
    form.append("wa_id", waId);
    form.append("name", profileName);
    form.append("hidden_phone", $("hide-phone").checked ? "1" : "0");
    let response;
    try {
      response = await fetch(url, { method: "POST", body: form, headers: { "X-CSRFToken": config.csrfToken }, credentials: "same-origin" });
    } catch (e) {
      return { error: "network" };
    }
    let data;
    try { data = await response.json(); } catch (e) { data = {}; }
    if (!response.ok && !data.error) data.error = response.status === 403 ? "network" : "unknown";
    return data;
  }

  // Messages go out one at a time, in the order the person sent them.
  function deliver(entry, form) {
    const forNumber = waId;
    entry.who = "me";
    entry.at = Date.now();
    entry.status = "pending";
    entry.local = ++localSeq;
    state.entries.push(entry);
    save();
    renderAll();
    sendChain = sendChain.then(async () => {
      const data = await post(config.sendUrl, form);
      if (forNumber !== waId) return;
      if (data.error) {
        entry.status = "failed";
        entry.error = errorText(data.error);
      } else {
        // The bot answers inside the webhook call, so the poll may show its reply before this
        // call returns: a reply already after this message means the bot has read it.
        const at = state.entries.indexOf(entry);
        const answered = at >= 0 && state.entries.slice(at + 1).some((e) => e.who === "bot");
        entry.status = answered ? "read" : "delivered";
        entry.wamid = data.id;
        if (data.media_id) entry.mediaId = data.media_id;
        if (!answered) {
          typingUntil = Date.now() + TYPING_MS;
          setTimeout(renderAll, TYPING_MS + 50);
        }
      }
      save();
      renderAll();
    });
  }

  function sendText(text) {
    const form = new FormData();
    form.append("kind", "text");
    form.append("text", text);
    deliver({ kind: "text", text: text }, form);
  }

  function sendChoice(kind, id, title) {
    const form = new FormData();
    form.append("kind", kind);
    form.append("choice_id", id);
    form.append("choice_title", title);
    deliver({ kind: "choice", text: title }, form);
  }

  function sendFile(file) {
    hideSendError();
    if (file.size > config.maxUploadBytes) { showSendError(errorText("file_too_large")); return; }
    if (file.size === 0) { showSendError(errorText("file_empty")); return; }
    const form = new FormData();
    form.append("kind", "file");
    form.append("file", file, file.name);
    deliver({ kind: "file", filename: file.name, mime: file.type || "application/octet-stream", isImage: /^image\//.test(file.type) }, form);
  }

  function showSendError(text) { $("send-error").textContent = text; $("send-error").hidden = false; }
  function hideSendError() { $("send-error").hidden = true; }

  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $("text");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    hideSendError();
    sendText(text);
  });
  $("file-input").addEventListener("change", (e) => {
    const file = e.target.files && e.target.files[0];
    if (file) sendFile(file);
    e.target.value = "";
  });

  // --- Receiving ---------------------------------------------------------------------------------
  function addBotMessages(items) {
    let added = false;
    items.forEach((item) => {
      if (item.seq <= state.lastSeq) return;
      state.lastSeq = item.seq;
      state.entries.push({ who: "bot", seq: item.seq, id: item.id, payload: item.payload, at: Math.round(item.received_at * 1000) });
      undelivered.add(item.id);
      added = true;
    });
    if (!added) return;
    // The bot marks a message read before it answers: the person's messages are read now.
    state.entries.forEach((e) => { if (e.who === "me" && e.status === "delivered") e.status = "read"; });
    typingUntil = 0;
    save();
    renderAll();
    scheduleStatuses();
  }

  // The bot writes to the phone, or to the BSUID when the number is hidden (sandbox.py derives
  // the sandbox's BSUIDs from the number the same way).
  function addressees(wa) {
    return encodeURIComponent(wa + ",CO.9" + wa);
  }

  async function poll() {
    if (polling || !waId) return;
    polling = true;
    const forNumber = waId;
    try {
      const response = await fetch(config.graph + "/_standin/messages?to=" + addressees(forNumber) + "&after=" + state.lastSeq);
      if (!response.ok) throw new Error("HTTP " + response.status);
      const items = await response.json();
      setOffline(false);
      if (forNumber === waId) addBotMessages(items);
    } catch (e) {
      setOffline(true);
    } finally {
      polling = false;
    }
  }
  function setOffline(value) {
    if (offline !== value) { offline = value; renderAll(); }
  }

  // Meta tells the bot when its messages reach the phone and are read: so does the page.
  function scheduleStatuses() {
    if (statusTimer) return;
    statusTimer = setTimeout(flushStatuses, STATUS_DELAY_MS);
  }
  async function flushStatuses() {
    statusTimer = null;
    const visible = document.visibilityState === "visible";
    const ids = Array.from(visible ? new Set([...undelivered, ...unread]) : undelivered).slice(0, 50);
    if (!ids.length) return;
    const form = new FormData();
    ids.forEach((id) => form.append("ids", id));
    form.append("read", visible ? "1" : "0");
    const data = await post(config.statusUrl, form);
    if (data.error) { if (window.console) console.warn("sandbox status:", data.error); return; }
    ids.forEach((id) => {
      undelivered.delete(id);
      if (visible) unread.delete(id); else unread.add(id);
    });
    if (undelivered.size || (visible && unread.size)) scheduleStatuses();
  }
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible" && unread.size) scheduleStatuses(); });

  // --- Choosing the number -----------------------------------------------------------------------
  async function useNumber(wa, name) {
    waId = wa;
    profileName = name;
    try { localStorage.setItem("proalto-sandbox:last", JSON.stringify({ waId: wa, name: name })); } catch (e) { /* ignore */ }
    state = load(wa);
    typingUntil = 0;
    undelivered.clear();
    unread.clear();
    $("chat-who").textContent = (name || "Cliente") + " · +" + wa;
    document.querySelectorAll(".customer").forEach((b) => b.classList.toggle("active", b.dataset.waId === wa));
    // If the stand-in restarted (the web process did), the old transcript no longer matches it.
    try {
      const response = await fetch(config.graph + "/_standin/messages?to=" + addressees(wa) + "&after=0");
      if (response.ok) {
        const items = await response.json();
        const known = new Set(items.map((m) => m.id));
        const lastBot = state.entries.filter((e) => e.who === "bot").pop();
        if (lastBot && !known.has(lastBot.id)) state = fresh();
        if (wa === waId) addBotMessages(items);
      }
    } catch (e) { setOffline(true); }
    renderAll();
  }

  $("who").addEventListener("submit", (e) => {
    e.preventDefault();
    const wa = $("wa-id").value.replace(/[\s+()-]/g, "");
    const name = $("profile-name").value.trim();
    const err = $("who-error");
    if (!/^\d{8,15}$/.test(wa)) { err.textContent = errorText("phone"); err.hidden = false; return; }
    if (name.length > 60) { err.textContent = errorText("name"); err.hidden = false; return; }
    err.hidden = true;
    useNumber(wa, name);
  });
  document.querySelectorAll(".customer").forEach((b) => b.addEventListener("click", () => {
    $("wa-id").value = b.dataset.waId;
    $("profile-name").value = b.dataset.name;
    $("who").requestSubmit();
  }));
  $("clear-chat").addEventListener("click", () => {
    state = { entries: [], lastSeq: state.lastSeq };
    save();
    renderAll();
  });

  let last = null;
  try { last = JSON.parse(localStorage.getItem("proalto-sandbox:last")); } catch (e) { /* ignore */ }
  if (last && /^\d{8,15}$/.test(last.waId || "")) {
    $("wa-id").value = last.waId;
    $("profile-name").value = last.name || "";
  }
  $("who").requestSubmit();
  setInterval(poll, config.pollMs);
  $("text").focus();
})();
{% endverbatim %}
