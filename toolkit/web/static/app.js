/* The page's few behaviours that htmx does not give: tabs, dropping a file on the drop zone,
   refusing a file over the size limit before sending it, ticking a family's forms at once,
   the 类别 of a draft showing its own sections, filtering the roster, opening a score row,
   and telling the server when the tab closes, so that its temporary folder goes at once. */
(function () {
  "use strict";
  var base = document.querySelector('meta[name="liaison-base"]').content;

  function show(id) {
    document.querySelectorAll("[data-tab]").forEach(function (button) {
      var on = button.getAttribute("data-tab") === id;
      button.setAttribute("aria-selected", on ? "true" : "false");
      document.getElementById(button.getAttribute("data-tab")).hidden = !on;
    });
  }
  document.querySelectorAll("[data-tab]").forEach(function (button) {
    button.addEventListener("click", function () { show(button.getAttribute("data-tab")); });
  });

  var drop = document.getElementById("upload-form");
  var input = document.getElementById("workbook-file");
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  function say(target, text) {
    var p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = text;
    target.replaceChildren(p);
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt !== drop || !input.files.length) { return; }
    var file = input.files[0];
    if (file.size > Number(input.getAttribute("data-max"))) {
      event.preventDefault();
      say(document.getElementById("check"), "错误：“" + file.name + "”太大（上限 " +
          input.getAttribute("data-max-mb") + " MB）。请确认选择的是台账工作簿。");
      input.value = "";
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === drop) { input.value = ""; }  /* the same file again is a new choice */
  });

  function family(box) { return box.closest("fieldset.family"); }
  function sync(set) {
    var boxes = set.querySelectorAll('input[name="only"]');
    var ticked = set.querySelectorAll('input[name="only"]:checked').length;
    var toggle = set.querySelector(".family-toggle");
    toggle.checked = ticked === boxes.length;
    toggle.indeterminate = ticked > 0 && ticked < boxes.length;
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.classList.contains("family-toggle")) {
      family(target).querySelectorAll('input[name="only"]').forEach(function (box) { box.checked = target.checked; });
    } else if (target.name === "only") {
      sync(family(target));
    } else if (target.name === "类别") {
      target.form.setAttribute("data-kind", target.value);
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-check]");
    if (button) {
      var on = button.getAttribute("data-check") === "all";
      document.querySelectorAll('#build-form input[name="only"], #build-form .family-toggle').forEach(function (box) {
        box.checked = on;
        box.indeterminate = false;
      });
      return;
    }
    var row = event.target.closest("tr.score-row");
    if (row) { toggleRow(row); }
  });
  document.addEventListener("keydown", function (event) {
    var row = event.target.closest && event.target.closest("tr.score-row");
    if (row && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); toggleRow(row); }
  });
  function toggleRow(row) {
    var items = row.nextElementSibling;
    items.hidden = !items.hidden;
    row.setAttribute("aria-expanded", items.hidden ? "false" : "true");
  }

  document.addEventListener("input", function (event) {
    if (!event.target.classList.contains("picker-filter")) { return; }
    event.stopPropagation();  /* filtering is not an edit of the draft */
    var words = event.target.value.trim();
    event.target.closest(".picker").querySelectorAll("label.person").forEach(function (label) {
      label.hidden = words !== "" && label.textContent.indexOf(words) < 0;
    });
  }, true);

  window.addEventListener("pagehide", function (event) {
    if (!event.persisted && navigator.sendBeacon) { navigator.sendBeacon(base + "/end"); }
  });
}());
