/* The site's only script: enhancements over pages that work without it.
   - typeahead on the search box (ARIA combobox, GET /suggest; answers for a prefix other
     than what the box holds now are dropped: /suggest echoes the prefix it answers; when
     the words typed say someone may be harmed now, the first option is the help line, and
     choosing it opens the page whose banner lists every line to call or text);
   - live filters: ticking a filter or changing radius/sort fetches the same page for the
     new URL and swaps the results in (URL, Back and Forward keep working);
   - "Use my location": the browser's geolocation into the lat/lon fields;
   - the filters panel (a <details>, shown whole by CSS on wide screens) keeps its state
     when live results replace it, and opens on wide screens in browsers whose CSS cannot
     show a closed <details> (no ::details-content). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var KINDS = { therapist: "Therapist", issue: "Issue", therapy_type: "Therapy",
    insurance: "Insurance", language: "Language", city: "City", zip: "ZIP code",
    article: "Article", crisis: "Help now" };

  /* Where a chosen suggestion leads on this site (the API's `target` is the JSON route). */
  function pageFor(s, form) {
    var near = form && form.elements.near ? form.elements.near.value.trim() : "";
    var keep = near ? "&near=" + encodeURIComponent(near) : "";
    switch (s.type) {
      case "therapist": return "/profile/" + encodeURIComponent(s.value);
      case "issue": return "/?issues=" + encodeURIComponent(s.value) + keep;
      case "therapy_type": return "/?therapy_types=" + encodeURIComponent(s.value) + keep;
      case "insurance": return "/?insurance=" + encodeURIComponent(s.value) + keep;
      case "language": return "/?languages=" + encodeURIComponent(s.value) + keep;
      case "city": return "/cities/" + encodeURIComponent(s.value);
      case "zip": return "/?near=" + encodeURIComponent(s.value);
      case "article": return "/blog/" + encodeURIComponent(s.value);
      case "crisis": return "/?q=" + encodeURIComponent(s.value);
      default: return "/?q=" + encodeURIComponent(s.label);
    }
  }

  /* The form's URL without its empty fields (what the server ignores anyway). */
  function urlOf(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim() !== "") { params.append(key, value); }
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function typeahead(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var form = input.form;
    var items = [];
    var active = -1;
    var timer = 0;

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(i) {
      var options = list.children;
      for (var k = 0; k < options.length; k++) {
        options[k].setAttribute("aria-selected", k === i ? "true" : "false");
      }
      active = i;
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(i) {
      var s = items[i];
      close();
      window.location.assign(pageFor(s, form));
    }

    /* The help line first, as an option like the others (see /suggest's `crisis`). */
    function help(crisis, prefix) {
      var line = crisis.resources[0];
      return { type: "crisis", value: prefix, label: line.name + ": " + line.description };
    }

    function show(suggestions, crisis, prefix) {
      list.textContent = "";
      suggestions = crisis ? [help(crisis, prefix)].concat(suggestions) : suggestions;
      items = suggestions;
      active = -1;
      if (!suggestions.length) { close(); return; }
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = "q-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.type = s.type;
        var label = document.createElement("span");
        label.textContent = s.label;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = KINDS[s.type] || s.type;
        li.appendChild(label);
        li.appendChild(kind);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function ask() {
      var prefix = input.value;
      if (!prefix.trim()) { close(); return; }
      fetch("/suggest?q=" + encodeURIComponent(prefix) + "&size=8")
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (answer) {
          /* Out of order or stale: the box no longer holds the prefix this answers. */
          if (!answer || answer.prefix !== input.value) { return; }
          show(answer.suggestions, answer.crisis, answer.prefix);
        })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 60);
    });
    input.addEventListener("keydown", function (e) {
      var open = !list.hidden && items.length;
      if (e.key === "ArrowDown") {
        if (!open) { ask(); return; }
        e.preventDefault();
        highlight((active + 1) % items.length);
      } else if (e.key === "ArrowUp" && open) {
        e.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (e.key === "Enter" && open && active >= 0) {
        e.preventDefault();
        choose(active);
      } else if (e.key === "Escape" && open) {
        e.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }

  var WIDE = "(min-width: 44.0625rem)";
  var SHOWS_CLOSED = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");

  function filtersPanel(wasOpen) {
    var panel = document.getElementById("filters");
    if (!panel) { return; }
    if (wasOpen || (!SHOWS_CLOSED && window.matchMedia(WIDE).matches)) { panel.open = true; }
  }

  function liveResults(form) {
    var pending = null;


    function load(url, push, focusName, focusValue) {
      if (pending) { pending.abort(); }
      pending = new AbortController();
      form.classList.add("loading");
      fetch(url, { headers: { Accept: "text/html" }, signal: pending.signal })
        .then(function (r) { return r.text().then(function (t) { return [r, t]; }); })
        .then(function (rt) {
          var doc = new DOMParser().parseFromString(rt[1], "text/html");
          var fresh = doc.getElementById("results");
          var current = document.getElementById("results");
          if (!fresh || !current) { window.location.assign(url); return; }
          var panel = document.getElementById("filters");
          var wasOpen = panel ? panel.open : false;
          current.replaceWith(document.importNode(fresh, true));
          filtersPanel(wasOpen);
          document.title = doc.title;
          var said = document.getElementById("announce");
          var status = document.getElementById("status");
          if (said && status) { said.textContent = status.textContent; }
          if (push) { history.pushState({ live: true }, "", url); }
          if (focusName) {
            var again = form.querySelector('[name="' + focusName + '"][value="' + focusValue + '"]') ||
              form.querySelector('[name="' + focusName + '"]');
            if (again) { again.focus(); }
          }
        })
        .catch(function (e) { if (e.name !== "AbortError") { window.location.assign(url); } })
        .finally(function () { form.classList.remove("loading"); });
    }

    form.addEventListener("change", function (e) {
      var el = e.target;
      if (!el.hasAttribute || !el.hasAttribute("data-live")) { return; }
      if (!document.getElementById("results")) { form.submit(); return; }
      load(urlOf(form), true, el.name, el.value);
    });
    window.addEventListener("popstate", function () {
      load(window.location.pathname + window.location.search, false);
    });
  }

  function locate(button) {
    if (!("geolocation" in navigator)) { return; }
    var form = button.form;
    button.hidden = false;
    button.addEventListener("click", function () {
      button.textContent = "Locating…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.lat.value = pos.coords.latitude.toFixed(5);
        form.elements.lon.value = pos.coords.longitude.toFixed(5);
        form.elements.near.value = "";
        window.location.assign(urlOf(form));
      }, function () {
        button.textContent = "Location unavailable";
      }, { timeout: 10000 });
    });
    form.elements.near.addEventListener("input", function () {
      form.elements.lat.value = "";
      form.elements.lon.value = "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var q = document.getElementById("q");
    if (q && q.getAttribute("role") === "combobox") { typeahead(q); }
    var form = document.getElementById("search");
    if (form) { liveResults(form); }
    filtersPanel(false);
    var here = document.getElementById("locate");
    if (here) { locate(here); }
  });
})();
