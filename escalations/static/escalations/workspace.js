/* The advisors' inbox (templates/admin/escalations/ticket/workspace.html).
 *
 * - The queue polls its JSON, raises a browser notification (when allowed), a short sound
 *   (unless muted) and the count in the tab title on a new case or a new customer message.
 * - The chat polls its messages; WhatsApp formatting (*negrita*, _cursiva_, ~tachado~,
 *   ```monoespaciado```) is rendered with DOM nodes and textContent only: nothing anyone typed
 *   is ever parsed as HTML.
 * - Saved replies are picked by typing / in the reply box; notes and replies post with fetch().
 * No inline handlers: the Content-Security-Policy runs none.
 */
(function () {
  "use strict";

  var ws = document.getElementById("workspace");
  if (!ws) { return; }
  var csrf = ws.querySelector("input[name=csrfmiddlewaretoken]").value;
  var currentTicket = ws.dataset.current;
  var baseTitle = document.title;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  // --- WhatsApp formatting ------------------------------------------------------------------

  var WA = [
    {re: /```([\s\S]+?)```/, tag: "code"},
    {re: /\*(\S(?:[^*\n]*?\S)?)\*/, tag: "strong"},
    {re: /(^|[^\w])_(\S(?:[^_\n]*?\S)?)_(?![\w])/, tag: "em", lead: true},
    {re: /~(\S(?:[^~\n]*?\S)?)~/, tag: "s"}
  ];

  function waFormat(text, into) {
    // The earliest marker wins; the text inside is formatted again (bold inside italics...).
    var best = null;
    WA.forEach(function (rule) {
      var m = rule.re.exec(text);
      if (m) {
        var start = m.index + (rule.lead ? m[1].length : 0);
        if (!best || start < best.start) {
          best = {start: start, end: m.index + m[0].length, inner: rule.lead ? m[2] : m[1], tag: rule.tag};
        }
      }
    });
    if (!best) {
      if (text) { into.appendChild(document.createTextNode(text)); }
      return into;
    }
    if (best.start > 0) { into.appendChild(document.createTextNode(text.slice(0, best.start))); }
    var node = document.createElement(best.tag);
    if (best.tag === "code") { node.textContent = best.inner; } else { waFormat(best.inner, node); }
    into.appendChild(node);
    waFormat(text.slice(best.end), into);
    return into;
  }
  window.proaltoWaFormat = waFormat;

  // The confirmation of the last action floats over the inbox (clicks pass through) and fades.
  var said = document.querySelector("ul.messagelist");
  if (said) { setTimeout(function () { said.classList.add("gone"); }, 6000); }

  // --- Alerts: notification, sound, title ------------------------------------------------------

  var soundButton = document.getElementById("sound-toggle");
  var notifyButton = document.getElementById("notify-enable");
  var toast = document.getElementById("inbox-toast");
  var audio = null;

  function soundOn() { return window.localStorage.getItem("proalto.sound") !== "off"; }

  function showSoundState() {
    soundButton.textContent = soundOn() ? "🔔 Sonido activado" : "🔕 Sonido silenciado";
    soundButton.setAttribute("aria-pressed", soundOn() ? "true" : "false");
  }

  function beep() {
    if (!soundOn()) { return; }
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.setValueAtTime(880, audio.currentTime);
      osc.frequency.setValueAtTime(1320, audio.currentTime + 0.12);
      gain.gain.setValueAtTime(0.0001, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.25, audio.currentTime + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.32);
      window.proaltoBeeps = (window.proaltoBeeps || 0) + 1;
    } catch (e) { /* no audio device: the toast and the title still tell */ }
  }

  function notify(title, body, url) {
    beep();
    toast.textContent = title + (body ? " · " + body : "");
    toast.hidden = false;
    clearTimeout(notify.timer);
    notify.timer = setTimeout(function () { toast.hidden = true; }, 8000);
    if ("Notification" in window && Notification.permission === "granted") {
      try {
        var n = new Notification(title, {body: body, tag: url});
        n.onclick = function () { window.focus(); window.location.href = url; };
      } catch (e) { /* some browsers only notify from a service worker: the toast still shows */ }
    }
  }

  soundButton.addEventListener("click", function () {
    window.localStorage.setItem("proalto.sound", soundOn() ? "off" : "on");
    showSoundState();
    if (soundOn()) { beep(); }
  });
  showSoundState();
  if ("Notification" in window && Notification.permission === "default") {
    notifyButton.hidden = false;
    notifyButton.addEventListener("click", function () {
      Notification.requestPermission().then(function () { notifyButton.hidden = true; });
    });
  }
  // Browsers start audio only after a gesture on the page: the first click unlocks it.
  document.addEventListener("click", function unlock() {
    try { audio = audio || new (window.AudioContext || window.webkitAudioContext)(); audio.resume(); } catch (e) { /* none */ }
    document.removeEventListener("click", unlock);
  });

  // --- The queue ---------------------------------------------------------------------------------

  var known = null;  // id -> unread, from the previous poll (null before the first)

  function queueItem(t, canTake) {
    var li = el("li");
    var a = el("a", "q-item sla-" + t.sla + (String(t.id) === currentTicket ? " current" : ""));
    a.href = t.url;
    a.id = "q-" + t.id;
    var line = el("div", "q-line");
    line.appendChild(el("span", "q-case", "#" + t.id + " · " + t.customer));
    if (t.unread) { line.appendChild(el("span", "q-unread", String(t.unread))); }
    a.appendChild(line);
    var second = el("div", "q-line");
    second.appendChild(el("span", "", t.reason));
    second.appendChild(el("span", "ticket-priority p" + t.priority, t.priority_label));
    a.appendChild(second);
    var third = el("div", "q-line");
    var age = el("span");
    age.appendChild(el("i", "sla-dot"));
    age.appendChild(document.createTextNode(t.waiting ? "espera " + t.waiting.replace("hace ", "") : "abierto " + t.age));
    third.appendChild(age);
    if (t.holder && !t.mine) { third.appendChild(el("span", "", t.holder)); }
    a.appendChild(third);
    li.appendChild(a);
    if (t.status === "open" && canTake) {
      var form = el("form");
      form.method = "post";
      form.action = t.take_url;
      var token = el("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrf;
      var button = el("button", "q-take default", "Tomar");
      button.type = "submit";
      form.appendChild(token);
      form.appendChild(button);
      li.appendChild(form);
    }
    return li;
  }

  function fill(listId, countId, tickets, canTake, empty) {
    var list = document.getElementById(listId);
    if (!list) { return; }
    list.replaceChildren();
    tickets.forEach(function (t) { list.appendChild(queueItem(t, canTake)); });
    if (!tickets.length) { list.appendChild(el("li", "q-empty", empty)); }
    document.getElementById(countId).textContent = String(tickets.length);
  }

  function queueUpdate(data) {
    fill("queue-mine", "count-mine", data.mine, data.can_take, "No tienes casos abiertos.");
    fill("queue-unassigned", "count-unassigned", data.unassigned, data.can_take, "Nadie espera.");
    fill("queue-others", "count-others", data.others, false, "Ninguno.");
    if (window.proaltoSetWaiting) { window.proaltoSetWaiting(data.waiting); }
    var unread = data.mine.reduce(function (sum, t) { return sum + t.unread; }, 0);
    var attention = data.waiting + unread;
    document.title = (attention ? "(" + attention + ") " : "") + baseTitle;
    var now = {};
    data.mine.concat(data.unassigned).forEach(function (t) { now[t.id] = t.unread; });
    if (known !== null) {
      data.unassigned.forEach(function (t) {
        if (!(t.id in known)) { notify("Nuevo caso #" + t.id, t.reason + " · " + t.customer, t.url); }
      });
      data.mine.forEach(function (t) {
        var before = known[t.id] || 0;
        var looking = String(t.id) === currentTicket && document.visibilityState === "visible";
        if (t.unread > before && !looking) { notify("Nuevo mensaje en el caso #" + t.id, t.customer, t.url); }
      });
    }
    known = now;
  }

  function getJson(url) {
    // redirect "manual": a poll must never load the login page itself, or it would swallow
    // the "session closed for inactivity" notice meant for the person (two polls run here).
    return fetch(url, {credentials: "same-origin", redirect: "manual", headers: {"Accept": "application/json"}})
      .then(function (r) {
        // The session ended (idle timeout, 401) or is gone (a redirect to the login page):
        // reload, so the login page replaces the inbox and says why.
        if (r.status === 401 || r.type === "opaqueredirect" || r.redirected) { window.location.reload(); return null; }
        return r.ok ? r.json() : null;
      });
  }

  function queuePoll() {
    return getJson(ws.dataset.queueUrl).then(function (data) { if (data) { queueUpdate(data); } }).catch(function () {});
  }
  queuePoll();
  setInterval(queuePoll, parseInt(ws.dataset.queuePollMs, 10) || 5000);

  // --- The chat ----------------------------------------------------------------------------------

  var page = document.getElementById("chat-page");
  if (!page) { return; }
  var box = document.getElementById("messages");
  var shown = {};
  var STATUS = {queued: "en cola", sending: "enviando", sent: "enviado", delivered: "entregado", read: "leído", failed: "falló",
                pending: "pendiente", processed: ""};

  function statusText(m) {
    var label = STATUS[m.status] !== undefined ? STATUS[m.status] : m.status;
    return m.error ? label + " (" + m.error + ")" : label;
  }

  function render(m) {
    var node = el("div", "msg " + m.direction + " " + m.sender);
    node.id = "msg-" + m.id;
    node.appendChild(el("span", "meta", m.sender_label + " · " + m.time));
    waFormat(m.text, node);
    if (m.document) {
      if (m.document.url) {
        var link = el("a", "doc", "📎 " + m.document.name);
        link.href = m.document.url;
        link.rel = "noopener";
        node.appendChild(link);
      } else {
        node.appendChild(el("span", "doc", "📎 " + m.document.name + " (sin permiso para descargarlo)"));
      }
    }
    node.appendChild(el("span", "status" + (m.status === "failed" ? " failed" : ""), statusText(m)));
    return node;
  }

  function stateKey(t) { return [t.status, t.assigned_to, t.held_by_me, t.in_window].join("|"); }

  // Once a form leaves the page (take, close, re-engage), a poll must not reload it meanwhile:
  // the reload would race the form's own redirect.
  var leaving = false;
  document.addEventListener("submit", function (event) {
    setTimeout(function () { if (!event.defaultPrevented && !event.target.dataset.fetch) { leaving = true; } }, 0);
  });

  function update(data) {
    if (leaving) { return; }
    // Without the box (a chat this person may not read) the poll only follows the ticket.
    var messages = box ? data.messages : [];
    var atBottom = box ? box.scrollHeight - box.scrollTop - box.clientHeight < 40 : false;
    messages.forEach(function (m) {
      var existing = shown[m.id];
      if (!existing) {
        shown[m.id] = render(m);
        box.appendChild(shown[m.id]);
        atBottom = true;
      } else if (m.status) {
        var status = existing.querySelector(".status");
        status.textContent = statusText(m);
        status.classList.toggle("failed", m.status === "failed");
      }
    });
    if (box && atBottom) { box.scrollTop = box.scrollHeight; }
    if (window.proaltoSetWaiting) { window.proaltoSetWaiting(data.waiting); }
    var t = data.ticket;
    document.getElementById("ticket-status").textContent = t.status_label;
    if (page.dataset.stateKey && page.dataset.stateKey !== stateKey(t)) {
      window.location.reload();  // taken by someone else, closed, or the 24-hour window changed
    }
    page.dataset.stateKey = stateKey(t);
  }

  function poll() {
    // Messages count as read only while the chat is in front of the person.
    var url = page.dataset.pollUrl + (document.visibilityState === "visible" ? "?seen=1" : "");
    return getJson(url).then(function (data) { if (data) { update(data); } }).catch(function () {});
  }
  poll();
  setInterval(poll, parseInt(page.dataset.pollMs, 10) || 2000);

  var closeForm = document.getElementById("close-form");
  if (closeForm) {
    closeForm.addEventListener("submit", function (event) {
      if (!window.confirm(closeForm.dataset.confirm)) { event.preventDefault(); }
    });
  }

  function postForm(form, button, error, done) {
    error.textContent = "";
    button.disabled = true;
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.ok) {
          form.reset();
          done();
          poll();
        } else if (data.window_closed) {
          window.location.reload();
        } else {
          error.textContent = data.message;
        }
      })
      .catch(function () { error.textContent = "No se pudo enviar. Revisa tu conexión e inténtalo de nuevo."; })
      .then(function () { button.disabled = false; });
  }

  var noteForm = document.getElementById("note-form");
  if (noteForm) {
    noteForm.addEventListener("submit", function (event) {
      event.preventDefault();
      postForm(noteForm, document.getElementById("note-button"), document.getElementById("note-error"), function () {});
    });
  }

  var form = document.getElementById("reply-form");
  if (!form) { return; }
  var text = document.getElementById("reply-text");
  var preview = document.getElementById("reply-preview");
  var menu = document.getElementById("slash-menu");
  var replies = JSON.parse(document.getElementById("saved-replies").textContent);
  var matches = [];
  var active = 0;

  function showPreview() {
    preview.replaceChildren();
    if (/[*_~`]/.test(text.value)) { waFormat(text.value, preview); }
  }

  // "/" at the start or after a space, up to the caret: the saved reply being looked for.
  function slashQuery() {
    var before = text.value.slice(0, text.selectionStart);
    var m = /(^|\s)\/([^\s/]*)$/.exec(before);
    return m ? {query: m[2].toLowerCase(), start: before.length - m[2].length - 1} : null;
  }

  function closeMenu() { menu.hidden = true; matches = []; }

  function openMenu() {
    var q = slashQuery();
    if (!q) { closeMenu(); return; }
    // Shortcuts that start with what was typed first, then titles that contain it.
    var starts = replies.filter(function (r) { return r.shortcut.toLowerCase().indexOf(q.query) === 0; });
    matches = starts.concat(replies.filter(function (r) {
      return starts.indexOf(r) === -1 && r.title.toLowerCase().indexOf(q.query) !== -1;
    }));
    menu.replaceChildren();
    if (!matches.length) {
      menu.appendChild(el("li", "", replies.length ? "Ninguna respuesta rápida empieza así." : "Aún no hay respuestas rápidas."));
      menu.hidden = false;
      return;
    }
    active = Math.min(active, matches.length - 1);
    matches.forEach(function (r, i) {
      var li = el("li", i === active ? "active" : "");
      li.setAttribute("role", "option");
      li.dataset.index = String(i);
      li.appendChild(el("span", "sc", "/" + r.shortcut));
      li.appendChild(document.createTextNode(r.title));
      li.appendChild(el("span", "tx", r.text));
      li.addEventListener("mousedown", function (event) { event.preventDefault(); insert(i); });
      menu.appendChild(li);
    });
    menu.hidden = false;
  }

  function insert(i) {
    var q = slashQuery();
    var reply = matches[i];
    if (!q || !reply) { return; }
    var after = text.value.slice(text.selectionStart);
    text.value = text.value.slice(0, q.start) + reply.text + after;
    var caret = q.start + reply.text.length;
    text.setSelectionRange(caret, caret);
    closeMenu();
    showPreview();
    text.focus();
  }

  text.addEventListener("input", function () { active = 0; openMenu(); showPreview(); });
  text.addEventListener("blur", function () { setTimeout(closeMenu, 150); });
  text.addEventListener("keydown", function (event) {
    if (menu.hidden || !matches.length) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
      openMenu();
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      insert(active);
    } else if (event.key === "Escape") {
      closeMenu();
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    postForm(form, document.getElementById("send-button"), document.getElementById("reply-error"), function () {
      preview.replaceChildren();
    });
  });
})();
