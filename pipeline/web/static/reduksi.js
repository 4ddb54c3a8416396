/* reduksi web workspace: the keyboard review and span selection in the transcript viewer.
   Served from the package (no CDN); the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function flash(html) {
    var box = document.getElementById("flash");
    if (box) { box.innerHTML = html; }
  }

  /* POST a form body and put the answer into `target` (or into #flash when the server says so). */
  function post(url, params, target) {
    return fetch(url, {
      method: "POST", body: params, credentials: "same-origin",
      headers: {"X-CSRF-Token": csrf(), "HX-Request": "true"}
    }).then(function (response) {
      return response.text().then(function (text) {
        if (response.headers.get("HX-Retarget") || !response.ok) { flash(text); return false; }
        flash("");
        target.innerHTML = text;
        if (window.htmx) { window.htmx.process(target); }
        return true;
      });
    });
  }

  /* ---- Tinjau: one excerpt at a time, keyboard first ---------------------------------------------------- */
  var pending = Promise.resolve();

  function act(action) {
    pending = pending.then(function () {
      var card = document.getElementById("card");
      if (!card) { return; }
      var excerpt = document.getElementById("excerpt");
      var params = new URLSearchParams();
      params.append("action", action);
      params.append("excerpt_id", excerpt ? excerpt.getAttribute("data-excerpt") : "0");
      card.querySelectorAll('.codes button[aria-pressed="true"]').forEach(function (b) {
        params.append("codes", b.getAttribute("data-code"));
      });
      return post("/tinjau/aksi", params, card);
    }).catch(function (error) { flash(String(error)); });
  }

  function toggle(button) {
    button.setAttribute("aria-pressed", button.getAttribute("aria-pressed") === "true" ? "false" : "true");
  }

  var ACTIONS = {"Enter": "accept", "x": "reject", "t": "irrelevant", "u": "undo", "j": "next", "k": "prev"};

  function reviewKeys(event) {
    if (document.body.getAttribute("data-page") !== "tinjau" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var search = document.getElementById("code-search");
    if (event.target === search) {
      if (event.key === "Escape") { search.value = ""; filterCodes(""); search.blur(); event.preventDefault(); }
      if (event.key === "Enter") {
        var first = document.querySelector(".codes button:not([hidden])");
        if (first) { toggle(first); }
        search.value = ""; filterCodes(""); search.blur(); event.preventDefault();
      }
      return;
    }
    if (event.target.tagName === "INPUT" || event.target.tagName === "TEXTAREA") { return; }
    if (event.key === "/") { event.preventDefault(); if (search) { search.focus(); } return; }
    if (ACTIONS[event.key]) { event.preventDefault(); act(ACTIONS[event.key]); return; }
    var button = document.querySelector('.codes button[data-key="' + CSS.escape(event.key.toLowerCase()) + '"]');
    if (button) { event.preventDefault(); toggle(button); }
  }

  function filterCodes(text) {
    var wanted = text.trim().toLowerCase();
    document.querySelectorAll(".codes button").forEach(function (b) {
      b.hidden = wanted !== "" && b.textContent.toLowerCase().indexOf(wanted) < 0;
    });
  }

  document.addEventListener("keydown", reviewKeys);
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "code-search") { filterCodes(event.target.value); }
  });
  document.addEventListener("click", function (event) {
    var code = event.target.closest && event.target.closest(".codes button");
    if (code) { toggle(code); return; }
    var action = event.target.closest && event.target.closest("[data-action]");
    if (action) { act(action.getAttribute("data-action")); }
  });

  /* ---- Kodebuku: a code's action buttons fill in the change form --------------------------------------- */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-op]");
    if (!button) { return; }
    document.getElementById("operation").value = button.getAttribute("data-op");
    document.getElementById("change-code").value = button.getAttribute("data-code");
    document.getElementById("change-result").innerHTML = "";
    var op = button.getAttribute("data-op");
    var next = document.getElementById(op === "merge" || op === "rename" ? "change-target" : "change-name");
    next.focus();
  });

  /* ---- Sumber: select a span of the transcript to code it or to move an excerpt's boundaries ------------- */
  function codePoints(text) { return Array.from(text).length; }

  /* The offset (code points into the source text) of a DOM position inside the transcript. */
  function offsetOf(node, offset) {
    var element = node.nodeType === 3 ? node.parentElement : node;
    if (node.nodeType === 3 && element.classList.contains("seg")) {
      return Number(element.getAttribute("data-start")) + codePoints(node.textContent.slice(0, offset));
    }
    var segs = Array.prototype.slice.call(document.querySelectorAll("#transcript .seg"));
    var child = node.nodeType === 1 ? node.childNodes[offset] : null;
    var after = child ? (child.classList && child.classList.contains("seg") ? child : nextSeg(child)) : null;
    if (after) { return Number(after.getAttribute("data-start")); }
    var last = segs[segs.length - 1];
    return last ? Number(last.getAttribute("data-start")) + codePoints(last.textContent) : 0;
  }

  function nextSeg(node) {
    var walker = node;
    while (walker && !(walker.classList && walker.classList.contains("seg"))) {
      walker = walker.nextSibling || (walker.parentElement && walker.parentElement.nextSibling);
    }
    return walker;
  }

  function excerptAt(range) {
    var segs = document.querySelectorAll("#transcript .seg[data-excerpt]");
    for (var i = 0; i < segs.length; i++) {
      if (range.intersectsNode(segs[i])) { return segs[i]; }
    }
    return null;
  }

  function showCoder() {
    var holder = document.getElementById("transcript");
    var selection = window.getSelection();
    if (!holder || !selection || selection.isCollapsed || selection.rangeCount === 0) { return; }
    var range = selection.getRangeAt(0);
    if (!holder.contains(range.commonAncestorContainer)) { return; }
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    if (end <= start) { return; }
    document.getElementById("span-start").value = start;
    document.getElementById("span-end").value = end;
    document.getElementById("selected-text").textContent = selection.toString();
    var excerpt = excerptAt(range);
    var adjust = document.getElementById("adjust-form");
    if (excerpt) {
      document.getElementById("adjust-excerpt").value = excerpt.getAttribute("data-excerpt");
      document.getElementById("adjust-start").value = start;
      document.getElementById("adjust-end").value = end;
      document.getElementById("adjust-key").textContent = excerpt.getAttribute("data-key");
      adjust.hidden = false;
    } else {
      adjust.hidden = true;
    }
    document.getElementById("coder").hidden = false;
  }

  function hideCoder() {
    var coder = document.getElementById("coder");
    if (!coder) { return; }
    coder.hidden = true;
    coder.querySelectorAll('input[type="checkbox"]').forEach(function (box) { box.checked = false; });
  }

  /* A click (no selection) on a highlighted excerpt shows its key, codes and suggestions, and a memo link. */
  function showInfo(seg) {
    var box = document.getElementById("excerpt-info");
    if (!box || !seg) { return; }
    var lines = (seg.getAttribute("title") || "").split("\n");
    document.getElementById("info-key").textContent = seg.getAttribute("data-key");
    document.getElementById("info-codes").textContent = lines.join(" · ");
    document.getElementById("info-memo").setAttribute(
      "href", "/memo?kind=excerpt&target=" + encodeURIComponent(seg.getAttribute("data-key")));
    box.hidden = false;
  }

  document.addEventListener("mouseup", function (event) {
    if (!(event.target.closest && event.target.closest("#transcript"))) { return; }
    window.setTimeout(function () {
      var selection = window.getSelection();
      if (selection && selection.isCollapsed) { showInfo(event.target.closest(".seg[data-excerpt]")); }
      else { showCoder(); }
    }, 0);
  });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey && event.target.closest && !event.target.closest("form")) { showCoder(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target && event.target.id === "span-cancel") { hideCoder(); }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "transcript") { hideCoder(); }
    if (event.detail && event.detail.target && event.detail.target.id === "memo-list") {
      var form = document.getElementById("memo-form");
      if (form && event.detail.requestConfig && event.detail.requestConfig.verb === "post") { form.reset(); }
    }
  });
})();
