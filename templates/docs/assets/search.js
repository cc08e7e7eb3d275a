/*
 * The search box of the shapegen docs site. It reads the index that
 * search-index.js stores in window.shapegenSearchIndex, so it works from
 * file:// URLs as well as from a web server, and makes no request.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 20;
  var form = document.querySelector("[data-search]");
  var payload = window.shapegenSearchIndex;
  if (form === null || payload === undefined || window.MiniSearch === undefined) return;

  var index = window.MiniSearch.loadJS(payload.index, payload.options);
  var root = document.documentElement.getAttribute("data-site-root") || "";
  var input = form.querySelector("input");
  var status = form.querySelector("[role=status]");
  var list = form.querySelector("ul");
  form.hidden = false;

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  function render(query) {
    list.textContent = "";
    if (query.trim() === "") {
      status.textContent = "";
      return;
    }
    var results = index.search(query, payload.query);
    status.textContent = results.length === 0 ? "No results" : results.length === 1 ? "1 result" : results.length + " results";
    results.slice(0, MAX_RESULTS).forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + result.href;
      var title = document.createElement("span");
      title.className = "result-title";
      title.textContent = result.title;
      var kind = document.createElement("span");
      kind.className = "result-kind";
      kind.textContent = result.kind;
      link.appendChild(title);
      link.appendChild(document.createTextNode(" "));
      link.appendChild(kind);
      item.appendChild(link);
      if (result.summary) {
        var summary = document.createElement("p");
        summary.textContent = result.summary;
        item.appendChild(summary);
      }
      list.appendChild(item);
    });
  }

  function move(step) {
    var all = links();
    if (all.length === 0) return;
    var position = all.indexOf(document.activeElement);
    var next = position === -1 ? (step > 0 ? 0 : all.length - 1) : position + step;
    if (next < 0) input.focus();
    else all[Math.min(next, all.length - 1)].focus();
  }

  input.addEventListener("input", function () {
    render(input.value);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first !== undefined) first.click();
  });

  form.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      move(1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      move(-1);
    } else if (event.key === "Escape") {
      input.value = "";
      render("");
      input.focus();
    }
  });

  // The results close when focus leaves the search box, so they never cover the page while reading it.
  form.addEventListener("focusout", function (event) {
    if (event.relatedTarget === null || !form.contains(event.relatedTarget)) {
      list.textContent = "";
      status.textContent = "";
    }
  });
  input.addEventListener("focus", function () {
    if (list.childElementCount === 0) render(input.value);
  });
})();
