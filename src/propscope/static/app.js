// propscope web app: small conveniences over server-rendered pages. No inline script anywhere.
"use strict";

(function () {
  function addSlot(container) {
    var n = container.querySelectorAll("fieldset.slot").length + 1;
    if (n > 10) { return; }
    var set = document.createElement("fieldset");
    set.className = "slot col";
    var legend = document.createElement("legend");
    legend.textContent = "Article " + n;
    set.appendChild(legend);
    [["text_", "Text", "textarea"], ["url_", "or URL", "input"]].forEach(function (spec) {
      var label = document.createElement("label");
      label.htmlFor = spec[0] + n;
      label.textContent = spec[1];
      var field = document.createElement(spec[2]);
      field.id = field.name = spec[0] + n;
      if (spec[2] === "textarea") { field.rows = 10; } else { field.type = "url"; field.placeholder = "https://"; }
      set.appendChild(label);
      set.appendChild(field);
    });
    container.appendChild(set);
  }

  function compareItems(form) {
    var items = [];
    form.querySelectorAll("fieldset.slot").forEach(function (set, i) {
      var text = set.querySelector("textarea").value;
      var url = set.querySelector("input").value.trim();
      if (text.trim()) { items.push({ text: text, source: "article " + (i + 1) }); }
      else if (url) { items.push({ url: url }); }
    });
    return items;
  }

  function setupCompare(form) {
    var status = document.getElementById("compare-status");
    var add = document.getElementById("add-slot");
    add.hidden = false;
    add.addEventListener("click", function () { addSlot(document.getElementById("slots")); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var items = compareItems(form);
      if (items.length < 2) { status.textContent = "Give at least two articles."; return; }
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      status.textContent = "Analysing " + items.length + " articles…";
      fetch(form.dataset.api, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ items: items })
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (answer) {
        if (!answer.ok) { throw new Error((answer.data.error || {}).message || "the request failed"); }
        var ids = answer.data.reports.map(function (r) { return r.id; });
        window.location.assign("/compare?ids=" + ids.join(","));
      }).catch(function (error) {
        status.textContent = "Could not compare: " + error.message;
        button.disabled = false;
      });
    });
  }

  function setupBusy() {
    document.querySelectorAll("form[method=post]:not(#compare-form)").forEach(function (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector("button[type=submit]");
        if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("compare-form");
    if (form) { setupCompare(form); }
    setupBusy();
  });
}());
